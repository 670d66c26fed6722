package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stratus.broker.testing.RawKafkaClient;
import dev.stratus.broker.testing.Requests;
import dev.stratus.broker.testing.TestBroker;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProduceValidationTest {

    private static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(config -> config.withAutoCreateTopics(false).withMessageMaxBytes(10_000));
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    @Test
    void batchWithAWrongCrcIsRejectedAsCorruptMessageAndNothingIsWritten() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("crc", 1));
            MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("k".getBytes(), "value".getBytes()));
            ByteBuffer buffer = records.buffer();
            int last = buffer.limit() - 1;
            buffer.put(last, (byte) (buffer.get(last) ^ 0x5a)); // flip bits in the CRC'd payload
            assertThat(produceError(client, "crc", MemoryRecords.readableRecords(buffer))).isEqualTo(Errors.CORRUPT_MESSAGE);
            assertThat(latestOffset(client, "crc")).isZero();
        }
    }

    @Test
    void batchLargerThanMessageMaxBytesIsRejectedAsMessageTooLarge() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("large", 1));
            MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(new byte[20_000]));
            assertThat(produceError(client, "large", records)).isEqualTo(Errors.MESSAGE_TOO_LARGE);
            assertThat(latestOffset(client, "large")).isZero();
        }
    }

    @Test
    void produceToAMissingTopicWithAutoCreateOffIsUnknownTopicOrPartition() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes()));
            assertThat(produceError(client, "missing", records)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(broker.controller.image().topic("missing")).isNull();
        }
    }

    @Test
    void magicOneBatchIsRejectedAsInvalidRecord() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("old-format", 1));
            MemoryRecords records = MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V1, Compression.NONE,
                    new SimpleRecord(1L, "v".getBytes()));
            assertThat(produceError(client, "old-format", records)).isEqualTo(Errors.INVALID_RECORD);
            assertThat(latestOffset(client, "old-format")).isZero();
        }
    }

    @Test
    void acceptedBatchKeepsItsPayloadAndGetsOnlyItsBaseOffsetAndLeaderEpochRewritten() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("rewrite", 1));
            MemoryRecords first = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("a".getBytes()), new SimpleRecord("b".getBytes()));
            MemoryRecords second = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("c".getBytes()));
            assertThat(produceError(client, "rewrite", first)).isEqualTo(Errors.NONE);
            assertThat(produceError(client, "rewrite", second)).isEqualTo(Errors.NONE);
            long streamId = broker.controller.image().topic("rewrite").partition(0).streamId();
            var stored = broker.store.batches(streamId);
            assertThat(stored).hasSize(2);
            RecordBatch batch = MemoryRecords.readableRecords(stored.get(1).payloadView()).batches().iterator().next();
            assertThat(batch.baseOffset()).isEqualTo(2);
            assertThat(batch.partitionLeaderEpoch()).isEqualTo(broker.controller.image().topic("rewrite").partition(0).leaderEpoch());
            assertThat(batch.isValid()).isTrue();
            ByteBuffer sent = second.buffer().duplicate();
            ByteBuffer kept = stored.get(1).payloadView();
            int crcOffset = DefaultRecordBatch.CRC_OFFSET;
            assertThat(kept.position(crcOffset)).isEqualTo(sent.position(crcOffset));
        }
    }

    @Test
    void acksZeroGetsNoResponseOnSuccessAndAClosedConnectionOnFailure() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("fire-and-forget", 1));
            client.send(Requests.produce("fire-and-forget", 0,
                    MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes())), (short) 0));
            // The next response on the connection belongs to the next request (the client checks the
            // correlation id): acks=0 got none. Requests run concurrently, so the append may land later.
            latestOffset(client, "fire-and-forget");
            await().atMost(Duration.ofSeconds(5)).until(() -> latestOffset(client, "fire-and-forget") == 1);

            client.send(Requests.produce("no-such-topic", 0,
                    MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes())), (short) 0));
            assertThat(client.closedByServer()).isTrue();
        }
    }

    private static Errors produceError(RawKafkaClient client, String topic, MemoryRecords records) throws Exception {
        ProduceResponse response = client.roundTrip(Requests.produce(topic, 0, records, (short) -1));
        return Errors.forCode(response.data().responses().iterator().next().partitionResponses().get(0).errorCode());
    }

    private static long latestOffset(RawKafkaClient client, String topic) throws Exception {
        ListOffsetsResponse response = client.roundTrip(Requests.listOffsets(topic, 0, ListOffsetsRequest.LATEST_TIMESTAMP));
        return response.data().topics().get(0).partitions().get(0).offset();
    }
}
