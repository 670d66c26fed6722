package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.broker.testing.RawKafkaClient;
import dev.stratus.broker.testing.TestBroker;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeTopicPartitionsRequest;
import org.apache.kafka.common.requests.DescribeTopicPartitionsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DescribeTopicPartitions (KIP-966): topics in name order, paged by a partition limit and a cursor. */
class DescribeTopicPartitionsTest {

    private static TestBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
        admin.createTopics(List.of(new NewTopic("dtp-b", 2, (short) 1), new NewTopic("dtp-a", 2, (short) 1),
                new NewTopic("dtp-wide", 7, (short) 1))).all().get();
    }

    @AfterAll
    static void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void adminDescribesATopicAcrossPagesOfTwoPartitions() throws Exception {
        TopicDescription wide = admin.describeTopics(List.of("dtp-wide"), new DescribeTopicsOptions().partitionSizeLimitPerResponse(2))
                .allTopicNames().get().get("dtp-wide");
        assertThat(wide.partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(wide.partitions()).allSatisfy(p -> {
            assertThat(p.leader().id()).isEqualTo(1);
            assertThat(p.isr()).hasSize(1);
        });
        assertThat(wide.topicId()).isEqualTo(admin.describeTopics(List.of("dtp-wide")).allTopicNames().get().get("dtp-wide").topicId());
    }

    @Test
    void namedTopicsComeInNameOrderWithIdsAndPartitions() throws Exception {
        DescribeTopicPartitionsResponseData response = describe(List.of("dtp-b", "dtp-a"), 100, null);
        assertThat(response.topics()).extracting(DescribeTopicPartitionsResponseTopic::name).containsExactly("dtp-a", "dtp-b");
        DescribeTopicPartitionsResponseTopic a = response.topics().find("dtp-a");
        assertThat(a.errorCode()).isEqualTo(Errors.NONE.code());
        java.util.UUID id = broker.controller.image().topic("dtp-a").topicId();
        assertThat(a.topicId()).isEqualTo(new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits()));
        assertThat(a.partitions()).extracting(p -> p.partitionIndex()).containsExactly(0, 1);
        assertThat(a.partitions()).allSatisfy(p -> {
            assertThat(p.leaderId()).isEqualTo(1);
            assertThat(p.replicaNodes()).containsExactly(1);
            assertThat(p.isrNodes()).containsExactly(1);
        });
        assertThat(response.nextCursor()).isNull();
    }

    @Test
    void noTopicNamedDescribesEveryTopic() throws Exception {
        DescribeTopicPartitionsResponseData response = describe(List.of(), 2000, null);
        List<String> names = response.topics().stream().map(DescribeTopicPartitionsResponseTopic::name).collect(Collectors.toList());
        assertThat(names).contains("dtp-a", "dtp-b", "dtp-wide").isSorted();
        assertThat(response.nextCursor()).isNull();
    }

    @Test
    void aFullPageEndsWithACursorToTheFirstPartitionLeftOut() throws Exception {
        DescribeTopicPartitionsResponseData first = describe(List.of("dtp-a", "dtp-b"), 3, null);
        assertThat(first.topics()).extracting(DescribeTopicPartitionsResponseTopic::name).containsExactly("dtp-a", "dtp-b");
        assertThat(first.topics().find("dtp-b").partitions()).extracting(p -> p.partitionIndex()).containsExactly(0);
        assertThat(first.nextCursor().topicName()).isEqualTo("dtp-b");
        assertThat(first.nextCursor().partitionIndex()).isEqualTo(1);

        DescribeTopicPartitionsResponseData second = describe(List.of("dtp-a", "dtp-b"), 3, new DescribeTopicPartitionsRequestData.Cursor()
                .setTopicName("dtp-b").setPartitionIndex(1));
        assertThat(second.topics()).extracting(DescribeTopicPartitionsResponseTopic::name).containsExactly("dtp-b");
        assertThat(second.topics().find("dtp-b").partitions()).extracting(p -> p.partitionIndex()).containsExactly(1);
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void aPageFilledAtATopicsEndPointsAtTheNextTopic() throws Exception {
        DescribeTopicPartitionsResponseData response = describe(List.of("dtp-a", "dtp-b"), 2, null);
        assertThat(response.topics()).extracting(DescribeTopicPartitionsResponseTopic::name).containsExactly("dtp-a");
        assertThat(response.nextCursor().topicName()).isEqualTo("dtp-b");
        assertThat(response.nextCursor().partitionIndex()).isZero();
    }

    @Test
    void anUnknownTopicIsAnsweredWithUnknownTopicOrPartition() throws Exception {
        DescribeTopicPartitionsResponseData response = describe(List.of("dtp-a", "dtp-missing"), 100, null);
        assertThat(response.topics().find("dtp-missing").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(response.topics().find("dtp-missing").partitions()).isEmpty();
        assertThat(response.topics().find("dtp-a").errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void aCursorWithANegativePartitionIsAnInvalidRequest() throws Exception {
        DescribeTopicPartitionsResponseData response = describe(List.of("dtp-a"), 100,
                new DescribeTopicPartitionsRequestData.Cursor().setTopicName("dtp-a").setPartitionIndex(-1));
        assertThat(response.topics()).isNotEmpty()
                .allSatisfy(topic -> assertThat(topic.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code()));
    }

    private static DescribeTopicPartitionsResponseData describe(List<String> topics, int limit,
                                                                DescribeTopicPartitionsRequestData.Cursor cursor) throws Exception {
        DescribeTopicPartitionsRequestData data = new DescribeTopicPartitionsRequestData()
                .setResponsePartitionLimit(limit)
                .setCursor(cursor)
                .setTopics(topics.stream().map(name -> new DescribeTopicPartitionsRequestData.TopicRequest().setName(name))
                        .collect(Collectors.toList()));
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            DescribeTopicPartitionsResponse response = client.roundTrip(new DescribeTopicPartitionsRequest.Builder(data).build((short) 0));
            return response.data();
        }
    }
}
