package dev.stratus.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stratus.broker.testing.TestBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batched group requests (LeaveGroup of several members, OffsetFetch of several groups), the
 * rebalance timeout of the classic protocol, and KIP-848 heartbeat errors on the wire.
 */
class GroupBatchesAndTimeoutsTest {

    private TestBroker broker;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        broker = GroupTestSupport.broker();
        admin = GroupTestSupport.admin(broker);
        GroupTestSupport.createTopic(broker, "t", 2);
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void oneLeaveGroupRemovesSeveralStaticMembers() throws Exception {
        KafkaConsumer<String, String> a = staticMember("batched-leave", "instance-a");
        KafkaConsumer<String, String> b = staticMember("batched-leave", "instance-b");
        try (a; b) {
            a.subscribe(List.of("t"));
            b.subscribe(List.of("t"));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                a.poll(Duration.ofMillis(50));
                b.poll(Duration.ofMillis(50));
                return !a.assignment().isEmpty() && !b.assignment().isEmpty();
            });
        }
        // Static members do not leave when they close: they stay until their session ends, or an operator removes them.
        assertThat(describe("batched-leave").members()).hasSize(2);

        admin.removeMembersFromConsumerGroup("batched-leave", new RemoveMembersFromConsumerGroupOptions(List.of(
                new MemberToRemove("instance-a"), new MemberToRemove("instance-b")))).all().get();

        ConsumerGroupDescription after = describe("batched-leave");
        assertThat(after.members()).isEmpty();
        assertThat(after.groupState()).isEqualTo(GroupState.EMPTY);
    }

    @Test
    void oneOffsetFetchAnswersForSeveralGroups() throws Exception {
        TopicPartition t0 = new TopicPartition("t", 0);
        TopicPartition t1 = new TopicPartition("t", 1);
        admin.alterConsumerGroupOffsets("fetched-1", Map.of(t0, new OffsetAndMetadata(3))).all().get();
        admin.alterConsumerGroupOffsets("fetched-2", Map.of(t1, new OffsetAndMetadata(7))).all().get();

        Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets = admin.listConsumerGroupOffsets(Map.of(
                "fetched-1", new ListConsumerGroupOffsetsSpec(),
                "fetched-2", new ListConsumerGroupOffsetsSpec())).all().get();

        assertThat(offsets.get("fetched-1")).containsOnlyKeys(t0);
        assertThat(offsets.get("fetched-1").get(t0).offset()).isEqualTo(3);
        assertThat(offsets.get("fetched-2")).containsOnlyKeys(t1);
        assertThat(offsets.get("fetched-2").get(t1).offset()).isEqualTo(7);
    }

    @Test
    void aMemberThatDoesNotRejoinWithinItsRebalanceTimeoutIsRemoved() throws Exception {
        try (RawGroupClient first = new RawGroupClient(broker.port); RawGroupClient second = new RawGroupClient(broker.port)) {
            JoinGroupResponse firstAsk = first.join("slow-rejoin", "", null, "consumer", 30_000, 1_000,
                    RawGroupClient.subscription("t"));
            JoinGroupResponse joined = first.join("slow-rejoin", firstAsk.data().memberId(), null, "consumer", 30_000, 1_000,
                    RawGroupClient.subscription("t"));
            String slow = joined.data().memberId();
            assertThat(first.sync("slow-rejoin", joined.data().generationId(), slow, null, List.of(
                    new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(slow)
                            .setAssignment(RawGroupClient.assignment("t", 0, 1)))).error()).isEqualTo(Errors.NONE);

            // A second member starts a rebalance; the first never rejoins (it does not even heartbeat).
            JoinGroupResponse secondAsk = second.join("slow-rejoin", "", null, "consumer", 30_000, 1_000,
                    RawGroupClient.subscription("t"));
            JoinGroupResponse rebalanced = second.join("slow-rejoin", secondAsk.data().memberId(), null, "consumer", 30_000, 1_000,
                    RawGroupClient.subscription("t"));

            assertThat(rebalanced.error()).isEqualTo(Errors.NONE);
            assertThat(rebalanced.data().generationId()).isGreaterThan(joined.data().generationId());
            assertThat(rebalanced.data().leader()).isEqualTo(secondAsk.data().memberId());
            assertThat(rebalanced.data().members()).extracting(m -> m.memberId()).containsExactly(secondAsk.data().memberId());
            assertThat(first.heartbeat("slow-rejoin", joined.data().generationId(), slow, null).error())
                    .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        }
    }

    @Test
    void aConsumerGroupHeartbeatNamingAnUnknownAssignorIsUnsupportedAssignor() throws Exception {
        try (RawGroupClient raw = new RawGroupClient(broker.port)) {
            ConsumerGroupHeartbeatResponseData response = heartbeat(raw, "member-x", 0, "no-such-assignor");
            assertThat(response.errorCode()).isEqualTo(Errors.UNSUPPORTED_ASSIGNOR.code());
        }
        assertThat(admin.listGroups().all().get()).noneMatch(listing -> listing.groupId().equals("kip848-raw"));
    }

    @Test
    void aConsumerGroupHeartbeatWithAMemberEpochAheadOfTheGroupIsFenced() throws Exception {
        try (RawGroupClient raw = new RawGroupClient(broker.port)) {
            ConsumerGroupHeartbeatResponseData joined = heartbeat(raw, "member-y", 0, "uniform");
            assertThat(joined.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(joined.memberEpoch()).isPositive();

            ConsumerGroupHeartbeatResponseData fenced = heartbeat(raw, "member-y", joined.memberEpoch() + 5, "uniform");
            assertThat(fenced.errorCode()).isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
        }
    }

    private static ConsumerGroupHeartbeatResponseData heartbeat(RawGroupClient raw, String memberId, int epoch, String assignor)
            throws Exception {
        ConsumerGroupHeartbeatRequestData data = new ConsumerGroupHeartbeatRequestData()
                .setGroupId("kip848-raw").setMemberId(memberId).setMemberEpoch(epoch).setRebalanceTimeoutMs(10_000)
                .setSubscribedTopicNames(List.of("t")).setServerAssignor(assignor).setTopicPartitions(List.of());
        ConsumerGroupHeartbeatResponse response = raw.client.roundTrip(new ConsumerGroupHeartbeatRequest(data, (short) 1));
        return response.data();
    }

    private ConsumerGroupDescription describe(String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get().get(group);
    }

    private KafkaConsumer<String, String> staticMember(String group, String instanceId) {
        Properties props = GroupTestSupport.consumerProps(broker, group);
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30_000);
        return GroupTestSupport.consumer(props);
    }
}
