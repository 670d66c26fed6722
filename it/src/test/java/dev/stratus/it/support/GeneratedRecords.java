package dev.stratus.it.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Deterministic test records: record {@code i} of a seed is always the same key, value, headers
 * and timestamp, so a test can check what it reads without holding what it wrote. Sizes are
 * log-uniform between 10 B and 10 KiB (many small records, some large, as in real traffic);
 * some keys and some values are null.
 */
public final class GeneratedRecords {

    public static final String INDEX_HEADER = "i";
    private static final int MIN_VALUE_BYTES = 10;
    private static final int MAX_VALUE_BYTES = 10 * 1024;
    private static final long BASE_TIMESTAMP_MS = 1_700_000_000_000L;

    private final long seed;

    public GeneratedRecords(long seed) {
        this.seed = seed;
    }

    public ProducerRecord<byte[], byte[]> record(String topic, int partition, long index) {
        Random random = new Random(seed * 1_000_003L + index);
        byte[] key = random.nextInt(10) == 0 ? null : ("key-" + index).getBytes(StandardCharsets.UTF_8);
        byte[] value = null;
        if (random.nextInt(20) != 0) {
            double exponent = random.nextDouble() * Math.log((double) MAX_VALUE_BYTES / MIN_VALUE_BYTES);
            value = new byte[(int) Math.round(MIN_VALUE_BYTES * Math.exp(exponent))];
            random.nextBytes(value);
        }
        List<Header> headers = new java.util.ArrayList<>();
        headers.add(new RecordHeader(INDEX_HEADER, ByteBuffer.allocate(8).putLong(index).array()));
        int extra = random.nextInt(3);
        for (int h = 0; h < extra; h++) {
            headers.add(new RecordHeader("h" + h, random.nextBoolean() ? null : ("v" + random.nextInt()).getBytes(StandardCharsets.UTF_8)));
        }
        return new ProducerRecord<>(topic, partition, BASE_TIMESTAMP_MS + index, key, value, headers);
    }

    /** The index a record was generated with, read from its header. */
    public static long indexOf(ConsumerRecord<byte[], byte[]> record) {
        return ByteBuffer.wrap(record.headers().lastHeader(INDEX_HEADER).value()).getLong();
    }
}
