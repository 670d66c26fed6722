package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.broker.testing.RawKafkaClient;
import dev.stratus.broker.testing.Requests;
import dev.stratus.broker.testing.TestBroker;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FetchAndListOffsetsTest {

    /** Where the CRC sits in a magic-2 batch: after base offset, length, partition leader epoch and magic. */
    private static final int CRC_OFFSET = 17;

    private static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    @Test
    void longPollingFetchIsWokenByAnAppendOnAnotherConnection() throws Exception {
        try (RawKafkaClient consumer = new RawKafkaClient(broker.port);
             RawKafkaClient producer = new RawKafkaClient(broker.port)) {
            consumer.roundTrip(Requests.createTopic("wake", 1));
            long start = System.nanoTime();
            RequestHeader fetch = consumer.send(Requests.fetch("wake", 0, 0, 1, 8000));
            Thread.sleep(200);
            producer.roundTrip(Requests.produce("wake", 0, MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord("x".getBytes())), (short) 1));
            FetchResponse response = consumer.receive(fetch);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
            FetchResponseData.PartitionData partition = response.data().responses().get(0).partitions().get(0);
            assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(partition.highWatermark()).isEqualTo(1);
            assertThat(values(partition)).containsExactly("x");
        }
    }

    @Test
    void fetchWithNothingToReadWaitsMaxWaitThenAnswersEmpty() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("idle", 1));
            long start = System.nanoTime();
            FetchResponse response = client.roundTrip(Requests.fetch("idle", 0, 0, 1, 300));
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250);
            FetchResponseData.PartitionData partition = response.data().responses().get(0).partitions().get(0);
            assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(partition.highWatermark()).isZero();
            assertThat(values(partition)).isEmpty();
        }
    }

    @Test
    void aPartitionMaxBytesSmallerThanABatchStillReturnsTheWholeFirstBatchAndNoMore() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("per-partition-cap", 1));
            for (String value : List.of("a", "b", "c")) {
                produceUncompressed(client, "per-partition-cap", value, 1000);
            }
            FetchResponse oneByte = client.roundTrip(Requests.fetch("per-partition-cap", 0, 0, 1, 0, 1));
            assertThat(firstChars(oneByte.data().responses().get(0).partitions().get(0))).containsExactly("a");

            FetchResponse twoBatches = client.roundTrip(Requests.fetch("per-partition-cap", 0, 0, 1, 0, 2500));
            assertThat(firstChars(twoBatches.data().responses().get(0).partitions().get(0))).containsExactly("a", "b");
        }
    }

    @Test
    void aFetchOfSeveralBatchesReturnsEachAsProducedWithOnlyBaseOffsetAndLeaderEpochRewritten() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("as-produced", 1));
            List<MemoryRecords> produced = new ArrayList<>();
            for (int batch = 0; batch < 3; batch++) {
                SimpleRecord[] records = new SimpleRecord[batch + 2];
                for (int i = 0; i < records.length; i++) {
                    records[i] = new SimpleRecord(1000L * batch + i, ("batch " + batch + " record " + i).getBytes());
                }
                MemoryRecords sent = MemoryRecords.withRecords(Compression.NONE, records);
                produced.add(sent);
                client.roundTrip(Requests.produce("as-produced", 0, MemoryRecords.readableRecords(sent.buffer().duplicate()), (short) -1));
            }

            FetchResponse response = client.roundTrip(Requests.fetch("as-produced", 0, 0, 1, 0, 1_000_000));

            FetchResponseData.PartitionData partition = response.data().responses().get(0).partitions().get(0);
            List<RecordBatch> fetched = new ArrayList<>();
            ((MemoryRecords) partition.records()).batches().forEach(fetched::add);
            assertThat(fetched).extracting(RecordBatch::baseOffset).containsExactly(0L, 2L, 5L);
            for (int i = 0; i < fetched.size(); i++) {
                fetched.get(i).ensureValid();
                assertThat(fromCrc((DefaultRecordBatch) fetched.get(i)))
                        .isEqualTo(fromCrc(produced.get(i).buffer()));
            }
        }
    }

    /** A batch's bytes from its CRC on: everything the producer wrote that the broker must not change. */
    private static byte[] fromCrc(DefaultRecordBatch batch) {
        ByteBuffer bytes = ByteBuffer.allocate(batch.sizeInBytes());
        batch.writeTo(bytes);
        bytes.flip();
        return fromCrc(bytes);
    }

    private static byte[] fromCrc(ByteBuffer batch) {
        ByteBuffer tail = batch.duplicate().position(batch.position() + CRC_OFFSET);
        byte[] bytes = new byte[tail.remaining()];
        tail.get(bytes);
        return bytes;
    }

    @Test
    void aFetchWaitsUntilMinBytesAreAvailableNotJustTheFirstAppend() throws Exception {
        try (RawKafkaClient consumer = new RawKafkaClient(broker.port);
             RawKafkaClient producer = new RawKafkaClient(broker.port)) {
            consumer.roundTrip(Requests.createTopic("min-bytes", 1));
            produceUncompressed(producer, "min-bytes", "a", 100);
            RequestHeader fetch = consumer.send(Requests.fetch("min-bytes", 0, 0, 3000, 30_000));
            Thread.sleep(200);
            produceUncompressed(producer, "min-bytes", "b", 100);
            Thread.sleep(200);
            produceUncompressed(producer, "min-bytes", "c", 4000);
            FetchResponse response = consumer.receive(fetch);
            // Answered with a, b and c together: neither the data present at first nor the small second append sufficed.
            assertThat(firstChars(response.data().responses().get(0).partitions().get(0))).containsExactly("a", "b", "c");
        }
    }

    @Test
    void aFetchBelowMinBytesAnswersWithWhatThereIsAfterMaxWait() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("min-bytes-timeout", 1));
            produceUncompressed(client, "min-bytes-timeout", "a", 100);
            long start = System.nanoTime();
            FetchResponse response = client.roundTrip(Requests.fetch("min-bytes-timeout", 0, 0, 1_000_000, 300));
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250);
            assertThat(firstChars(response.data().responses().get(0).partitions().get(0))).containsExactly("a");
        }
    }

    @Test
    void fetchBeyondTheLogEndIsOffsetOutOfRange() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("range", 1));
            FetchResponse response = client.roundTrip(Requests.fetch("range", 0, 5, 1, 0));
            assertThat(response.data().responses().get(0).partitions().get(0).errorCode())
                    .isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        }
    }

    @Test
    void listOffsetsFindsEarliestLatestByTimestampAndMaxTimestamp() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("times", 1));
            produce(client, "times", new SimpleRecord(1000L, "a".getBytes()), new SimpleRecord(2000L, "b".getBytes()));
            produce(client, "times", new SimpleRecord(5000L, "c".getBytes()), new SimpleRecord(3000L, "d".getBytes()));
            produce(client, "times", new SimpleRecord(4000L, "e".getBytes()));

            assertThat(offsetFor(client, ListOffsetsRequest.EARLIEST_TIMESTAMP).offset()).isZero();
            assertThat(offsetFor(client, ListOffsetsRequest.LATEST_TIMESTAMP).offset()).isEqualTo(5);
            assertThat(offsetFor(client, 1500L)).satisfies(p -> {
                assertThat(p.offset()).isEqualTo(1);
                assertThat(p.timestamp()).isEqualTo(2000L);
            });
            assertThat(offsetFor(client, 2500L).offset()).isEqualTo(2);
            assertThat(offsetFor(client, 9000L).offset()).isEqualTo(-1);
            assertThat(offsetFor(client, ListOffsetsRequest.MAX_TIMESTAMP)).satisfies(p -> {
                assertThat(p.offset()).isEqualTo(2);
                assertThat(p.timestamp()).isEqualTo(5000L);
            });
        }
    }

    private static ListOffsetsResponseData.ListOffsetsPartitionResponse offsetFor(RawKafkaClient client, long timestamp)
            throws Exception {
        ListOffsetsResponse response = client.roundTrip(Requests.listOffsets("times", 0, timestamp));
        ListOffsetsResponseData.ListOffsetsPartitionResponse partition = response.data().topics().get(0).partitions().get(0);
        assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
        return partition;
    }

    private static void produce(RawKafkaClient client, String topic, SimpleRecord... records) throws Exception {
        client.roundTrip(Requests.produce(topic, 0, MemoryRecords.withRecords(RecordBatch.CURRENT_MAGIC_VALUE, 0L,
                Compression.gzip().build(), records), (short) -1));
    }

    /** Produces one uncompressed batch of one record: the value is {@code tag} padded to {@code size} bytes. */
    private static void produceUncompressed(RawKafkaClient client, String topic, String tag, int size) throws Exception {
        byte[] value = (tag + "x".repeat(size - tag.length())).getBytes();
        client.roundTrip(Requests.produce(topic, 0, MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(value)),
                (short) -1));
    }

    private static List<String> firstChars(FetchResponseData.PartitionData partition) {
        assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
        return values(partition).stream().map(value -> value.substring(0, 1)).toList();
    }

    private static List<String> values(FetchResponseData.PartitionData partition) {
        List<String> values = new ArrayList<>();
        for (Record record : ((MemoryRecords) partition.records()).records()) {
            byte[] bytes = new byte[record.valueSize()];
            record.value().get(bytes);
            values.add(new String(bytes));
        }
        return values;
    }
}
