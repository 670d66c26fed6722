package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.broker.testing.RawKafkaClient;
import dev.stratus.broker.testing.Requests;
import dev.stratus.broker.testing.TestBroker;
import dev.stratus.metadata.BrokerRegistrationRequest;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;

/**
 * KIP-951: asked for a partition another broker leads, a broker answers NOT_LEADER_OR_FOLLOWER
 * with the current leader, its epoch and its endpoint, in Produce and Fetch.
 */
class LeaderHintsTest {

    /** A broker 1 that is told of a broker 2 with fewer partitions, which then leads the next topic. */
    private static TestBroker brokerWithAnotherLeading(String topic) throws Exception {
        TestBroker broker = TestBroker.start();
        broker.controller.controller.createTopic("led-by-one", 1, Map.of()).get();
        broker.controller.controller.registerBroker(new BrokerRegistrationRequest(2, UUID.randomUUID(), "127.0.0.1", 39092, "r2"))
                .get();
        broker.controller.controller.createTopic(topic, 1, Map.of()).get();
        assertThat(broker.controller.image().topic(topic).partition(0).leaderId()).isEqualTo(2);
        return broker;
    }

    @Test
    void aProduceToAPartitionLedElsewhereNamesTheLeaderAndItsEndpoint() throws Exception {
        try (TestBroker broker = brokerWithAnotherLeading("elsewhere");
             RawKafkaClient client = new RawKafkaClient(broker.port)) {
            ProduceResponse response = client.roundTrip(Requests.produce("elsewhere", 0,
                    MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes())),
                    (short) -1));

            ProduceResponseData.PartitionProduceResponse partition = response.data().responses().iterator().next()
                    .partitionResponses().get(0);
            assertThat(partition.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
            assertThat(partition.currentLeader().leaderId()).isEqualTo(2);
            assertThat(partition.currentLeader().leaderEpoch()).isZero();
            assertThat(response.data().nodeEndpoints()).singleElement().satisfies(node -> {
                assertThat(node.nodeId()).isEqualTo(2);
                assertThat(node.port()).isEqualTo(39092);
                assertThat(node.rack()).isEqualTo("r2");
            });
        }
    }

    @Test
    void aFetchFromAPartitionLedElsewhereNamesTheLeaderAndItsEndpoint() throws Exception {
        try (TestBroker broker = brokerWithAnotherLeading("far");
             RawKafkaClient client = new RawKafkaClient(broker.port)) {
            UUID id = broker.controller.image().topic("far").topicId();
            FetchRequestData data = new FetchRequestData().setReplicaId(-1).setMinBytes(0).setMaxWaitMs(0)
                    .setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1);
            FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopic("far")
                    .setTopicId(new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits()));
            topic.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                    .setPartitionMaxBytes(1 << 20).setCurrentLeaderEpoch(-1));
            data.topics().add(topic);

            FetchResponse response = client.roundTrip(new FetchRequest(data, (short) 16));

            FetchResponseData.PartitionData partition = response.data().responses().get(0).partitions().get(0);
            assertThat(partition.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
            assertThat(partition.currentLeader().leaderId()).isEqualTo(2);
            assertThat(response.data().nodeEndpoints()).extracting(FetchResponseData.NodeEndpoint::nodeId).containsExactly(2);
        }
    }
}
