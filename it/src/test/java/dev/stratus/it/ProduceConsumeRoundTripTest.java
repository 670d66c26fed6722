package dev.stratus.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.it.support.GeneratedRecords;
import dev.stratus.it.support.InProcessStratus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton's promise: what the real Java producer writes, the real Java consumer
 * reads back, identical and in order per partition, through WAL, log cache, upload and objects.
 */
class ProduceConsumeRoundTripTest {

    private static final String TOPIC = "round-trip";
    private static final int PARTITIONS = 8;
    private static final int RECORDS = 100_000;
    private static final List<String> COMPRESSIONS = List.of("none", "gzip", "snappy", "lz4", "zstd");

    @TempDir
    Path dataDir;

    @Test
    void everyRecordProducedWithEveryCompressionIsConsumedIdenticalAndInOrder() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ProduceConsumeRoundTripTest seed=" + seed);
        GeneratedRecords generated = new GeneratedRecords(seed);
        // Small upload threshold and log cache: most reads come back from uploaded objects.
        Map<String, String> overrides = Map.of(
                "wal.upload.threshold.bytes", String.valueOf(16L << 20),
                "log.cache.bytes", String.valueOf(16L << 20),
                "auto.create.topics.enable", "false");
        try (InProcessStratus stratus = InProcessStratus.start(dataDir, overrides)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stratus.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
            }

            // Each compression type gets its own producer and a contiguous fifth of the indexes.
            Map<Long, Long> offsetByIndex = new ConcurrentHashMap<>();
            int perProducer = RECORDS / COMPRESSIONS.size();
            for (int c = 0; c < COMPRESSIONS.size(); c++) {
                try (KafkaProducer<byte[], byte[]> producer = producer(stratus.bootstrapServers(), COMPRESSIONS.get(c))) {
                    List<Future<RecordMetadata>> sends = new ArrayList<>(perProducer);
                    List<Long> indexes = new ArrayList<>(perProducer);
                    for (long i = (long) c * perProducer; i < (long) (c + 1) * perProducer; i++) {
                        sends.add(producer.send(generated.record(TOPIC, (int) (i % PARTITIONS), i)));
                        indexes.add(i);
                    }
                    producer.flush();
                    for (int s = 0; s < sends.size(); s++) {
                        offsetByIndex.put(indexes.get(s), sends.get(s).get().offset());
                    }
                }
            }

            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> read = consumeAll(stratus.bootstrapServers());
            long total = read.values().stream().mapToLong(List::size).sum();
            assertThat(total).isEqualTo(RECORDS);
            for (int p = 0; p < PARTITIONS; p++) {
                long expectedOffset = 0;
                long lastIndex = -1;
                for (ConsumerRecord<byte[], byte[]> record : read.get(p)) {
                    long index = GeneratedRecords.indexOf(record);
                    assertThat(record.offset()).as("offsets are dense on partition %d", p).isEqualTo(expectedOffset++);
                    assertThat(index).as("order on partition %d", p).isGreaterThan(lastIndex);
                    assertThat(offsetByIndex.get(index)).as("acknowledged offset of record %d", index).isEqualTo(record.offset());
                    assertSameRecord(record, generated.record(TOPIC, p, index));
                    lastIndex = index;
                }
            }
        }
    }

    private static void assertSameRecord(ConsumerRecord<byte[], byte[]> actual, ProducerRecord<byte[], byte[]> expected) {
        assertThat(actual.key()).isEqualTo(expected.key());
        assertThat(actual.value()).isEqualTo(expected.value());
        assertThat(actual.timestamp()).isEqualTo(expected.timestamp());
        Header[] actualHeaders = actual.headers().toArray();
        Header[] expectedHeaders = expected.headers().toArray();
        assertThat(actualHeaders).hasSameSizeAs(expectedHeaders);
        for (int h = 0; h < expectedHeaders.length; h++) {
            assertThat(actualHeaders[h].key()).isEqualTo(expectedHeaders[h].key());
            assertThat(actualHeaders[h].value()).isEqualTo(expectedHeaders[h].value());
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap, String compression) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Map<Integer, List<ConsumerRecord<byte[], byte[]>>> consumeAll(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> read = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
                read.put(p, new ArrayList<>());
            }
            consumer.assign(partitions);
            partitions.forEach(tp -> consumer.seek(tp, 0));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!caughtUp(consumer, ends) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    read.get(record.partition()).add(record);
                }
            }
        }
        return read;
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
