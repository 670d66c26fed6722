package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.broker.testing.RawKafkaClient;
import dev.stratus.broker.testing.Requests;
import dev.stratus.broker.testing.TestBroker;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdempotentProduceTest {

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
    void retriedBatchWithTheSameSequenceGetsTheOriginalOffsetAndIsWrittenOnce() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("dedup", 1));
            long producerId = initProducerId(client);
            assertThat(produce(client, "dedup", batch(producerId, 0, 0, 3))).satisfies(r -> {
                assertThat(r.errorCode()).isEqualTo(Errors.NONE.code());
                assertThat(r.baseOffset()).isZero();
            });
            assertThat(produce(client, "dedup", batch(producerId, 0, 3, 2)).baseOffset()).isEqualTo(3);

            ProduceResponseData.PartitionProduceResponse retry = produce(client, "dedup", batch(producerId, 0, 0, 3));
            assertThat(retry.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(retry.baseOffset()).isZero();

            long streamId = broker.controller.image().topic("dedup").partition(0).streamId();
            assertThat(broker.store.batches(streamId)).hasSize(2);
        }
    }

    @Test
    void sequenceGapIsRejectedAsOutOfOrderAndNothingIsWritten() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("gap", 1));
            long producerId = initProducerId(client);
            assertThat(produce(client, "gap", batch(producerId, 0, 0, 1)).errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(produce(client, "gap", batch(producerId, 0, 5, 1)).errorCode())
                    .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
            assertThat(produce(client, "gap", batch(producerId, 0, 1, 1)).baseOffset()).isEqualTo(1);
            long streamId = broker.controller.image().topic("gap").partition(0).streamId();
            assertThat(broker.store.batches(streamId)).hasSize(2);
        }
    }

    @Test
    void olderProducerEpochIsFencedWithInvalidProducerEpoch() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("fenced", 1));
            long producerId = initProducerId(client);
            assertThat(produce(client, "fenced", batch(producerId, 1, 0, 1)).errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(produce(client, "fenced", batch(producerId, 0, 1, 1)).errorCode())
                    .isEqualTo(Errors.INVALID_PRODUCER_EPOCH.code());
            assertThat(produce(client, "fenced", batch(producerId, 2, 3, 1)).errorCode())
                    .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
            assertThat(produce(client, "fenced", batch(producerId, 2, 0, 1)).baseOffset()).isEqualTo(1);
        }
    }

    @Test
    void retryAfterABrokerRestartGetsTheOriginalOffsetBecauseProducerStateIsRebuiltFromTheStream() throws Exception {
        TestBroker first = TestBroker.start();
        MemoryRecords batch;
        try (RawKafkaClient client = new RawKafkaClient(first.port)) {
            client.roundTrip(Requests.createTopic("restarted", 1));
            long producerId = initProducerId(client);
            assertThat(produce(client, "restarted", batch(producerId, 0, 0, 2)).baseOffset()).isZero();
            batch = batch(producerId, 0, 2, 3);
            assertThat(produce(client, "restarted", batch).baseOffset()).isEqualTo(2);
        }
        first.stopBroker();
        TestBroker second = first.restart();
        try (RawKafkaClient client = new RawKafkaClient(second.port)) {
            ProduceResponseData.PartitionProduceResponse retry = produce(client, "restarted", batch);
            assertThat(retry.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(retry.baseOffset()).isEqualTo(2);
            long streamId = second.controller.image().topic("restarted").partition(0).streamId();
            assertThat(second.store.batches(streamId)).hasSize(2);
        } finally {
            second.close();
        }
    }

    @Test
    void unknownProducerMayStartAtAnySequence() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("unknown-producer", 1));
            assertThat(produce(client, "unknown-producer", batch(987_654L, 3, 42, 1)).errorCode()).isEqualTo(Errors.NONE.code());
        }
    }

    @Test
    void transactionalInitProducerIdIsRefusedAsUnsupported() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            InitProducerIdResponse response = client.roundTrip(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                    .setTransactionalId("tx").setTransactionTimeoutMs(60_000)
                    .setProducerId(-1).setProducerEpoch((short) -1)).build((short) 5));
            assertThat(response.error()).isEqualTo(Errors.UNSUPPORTED_VERSION);
        }
    }

    private static long initProducerId(RawKafkaClient client) throws Exception {
        InitProducerIdResponse response = client.roundTrip(Requests.initProducerId());
        assertThat(response.error()).isEqualTo(Errors.NONE);
        assertThat(response.data().producerEpoch()).isZero();
        return response.data().producerId();
    }

    private static MemoryRecords batch(long producerId, int epoch, int baseSequence, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(("value-" + (baseSequence + i)).getBytes());
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short) epoch, baseSequence, records);
    }

    private static ProduceResponseData.PartitionProduceResponse produce(RawKafkaClient client, String topic,
                                                                        MemoryRecords records) throws Exception {
        ProduceResponse response = client.roundTrip(Requests.produce(topic, 0, records, (short) -1));
        return response.data().responses().iterator().next().partitionResponses().get(0);
    }
}
