package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.broker.testing.RawKafkaClient;
import dev.stratus.broker.testing.Requests;
import dev.stratus.broker.testing.TestBroker;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OffsetForLeaderEpoch on the wire (KIP-320): a restart is a new leader epoch, and asking for
 * the old epoch answers where it ended, so a consumer can tell whether its position survived.
 */
class OffsetForLeaderEpochTest {

    private static final String TOPIC = "epochs";

    private TestBroker broker;
    private int firstEpoch;
    private int secondEpoch;

    @BeforeEach
    void writeThreeRecordsInOneEpochAndTwoInTheNext() throws Exception {
        broker = TestBroker.start();
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic(TOPIC, 1));
            for (int i = 0; i < 3; i++) {
                produce(client);
            }
        }
        firstEpoch = currentEpoch();
        broker.stopBroker();
        broker = broker.restart();
        secondEpoch = currentEpoch();
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            produce(client);
            produce(client);
        }
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void aRestartStartsANewerLeaderEpoch() {
        assertThat(secondEpoch).isGreaterThan(firstEpoch);
    }

    @Test
    void theOldEpochEndsWhereTheNewOneBegan() throws Exception {
        EpochEndOffset result = ask(firstEpoch, secondEpoch);
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.leaderEpoch()).isEqualTo(firstEpoch);
        assertThat(result.endOffset()).isEqualTo(3);
    }

    @Test
    void theCurrentEpochEndsAtTheLogEnd() throws Exception {
        EpochEndOffset result = ask(secondEpoch, secondEpoch);
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.leaderEpoch()).isEqualTo(secondEpoch);
        assertThat(result.endOffset()).isEqualTo(5);
    }

    @Test
    void aClientWithAnOlderCurrentEpochIsFenced() throws Exception {
        assertThat(ask(firstEpoch, firstEpoch).errorCode()).isEqualTo(Errors.FENCED_LEADER_EPOCH.code());
    }

    @Test
    void aClientWithANewerCurrentEpochThanTheLeaderGetsUnknownLeaderEpoch() throws Exception {
        assertThat(ask(secondEpoch, secondEpoch + 1).errorCode()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code());
    }

    @Test
    void anUnknownPartitionIsUnknownTopicOrPartition() throws Exception {
        assertThat(ask(TOPIC, 5, secondEpoch, secondEpoch).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    private int currentEpoch() {
        return broker.controller.image().topic(TOPIC).partition(0).leaderEpoch();
    }

    private EpochEndOffset ask(int epoch, int currentLeaderEpoch) throws Exception {
        return ask(TOPIC, 0, epoch, currentLeaderEpoch);
    }

    private EpochEndOffset ask(String topic, int partition, int epoch, int currentLeaderEpoch) throws Exception {
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection topics =
                new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection();
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopic wanted = new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic()
                .setTopic(topic);
        wanted.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                .setPartition(partition).setLeaderEpoch(epoch).setCurrentLeaderEpoch(currentLeaderEpoch));
        topics.add(wanted);
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            OffsetsForLeaderEpochResponse response = client.roundTrip(
                    OffsetsForLeaderEpochRequest.Builder.forConsumer(topics).build((short) 4));
            return response.data().topics().find(topic).partitions().get(0);
        }
    }

    private static void produce(RawKafkaClient client) throws Exception {
        client.roundTrip(Requests.produce(TOPIC, 0, MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("v".getBytes())), (short) -1));
    }
}
