package dev.stratus.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stratus.broker.testing.TestBroker;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DescribeGroups, ListGroups, DeleteGroups and OffsetDelete through the Java Admin; groups and offsets across a restart. */
class GroupAdminAndRestartTest {

    private TestBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void adminListsDescribesDeletesOffsetsAndGroups() throws Exception {
        broker = GroupTestSupport.broker();
        GroupTestSupport.createTopic(broker, "t", 2);
        TopicPartition p0 = new TopicPartition("t", 0);
        TopicPartition p1 = new TopicPartition("t", 1);
        try (Admin admin = GroupTestSupport.admin(broker); RawGroupClient raw = new RawGroupClient(broker.port)) {
            admin.alterConsumerGroupOffsets("offline", Map.of(p0, new OffsetAndMetadata(3), p1, new OffsetAndMetadata(4)))
                    .all().get();
            JoinGroupResponse joined = raw.joinNew("live", 30_000, RawGroupClient.subscription("t"));
            String memberId = joined.data().memberId();
            assertThat(raw.sync("live", joined.data().generationId(), memberId, null, List.of(
                    new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(memberId)
                            .setAssignment(RawGroupClient.assignment("t", 0, 1)))).error()).isEqualTo(Errors.NONE);

            assertThat(admin.listConsumerGroups().all().get()).extracting(ConsumerGroupListing::groupId)
                    .contains("offline", "live");
            assertThat(admin.listConsumerGroups(new ListConsumerGroupsOptions().inGroupStates(Set.of(GroupState.STABLE)))
                    .all().get()).extracting(ConsumerGroupListing::groupId).containsExactly("live");
            var live = admin.describeConsumerGroups(List.of("live")).all().get().get("live");
            assertThat(live.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(live.partitionAssignor()).isEqualTo("range");
            assertThat(live.members()).singleElement().satisfies(m ->
                    assertThat(m.assignment().topicPartitions()).containsExactlyInAnyOrder(p0, p1));
            assertThatThrownBy(() -> admin.describeConsumerGroups(List.of("nobody")).all().get())
                    .hasCauseInstanceOf(GroupIdNotFoundException.class);

            admin.deleteConsumerGroupOffsets("offline", Set.of(p1)).all().get();
            assertThat(admin.listConsumerGroupOffsets("offline").partitionsToOffsetAndMetadata().get())
                    .containsOnlyKeys(p0);
            assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of("live")).all().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(GroupNotEmptyException.class);
            admin.deleteConsumerGroups(List.of("offline")).all().get();
            assertThat(admin.listConsumerGroups().all().get()).extracting(ConsumerGroupListing::groupId)
                    .doesNotContain("offline");
        }
    }

    @Test
    void groupsAndCommittedOffsetsSurviveABrokerRestart() throws Exception {
        broker = GroupTestSupport.broker();
        GroupTestSupport.createTopic(broker, "t", 2);
        TopicPartition p0 = new TopicPartition("t", 0);
        String memberId;
        int generation;
        try (Admin admin = GroupTestSupport.admin(broker); RawGroupClient raw = new RawGroupClient(broker.port)) {
            admin.alterConsumerGroupOffsets("kept", Map.of(p0, new OffsetAndMetadata(11, "note"))).all().get();
            admin.alterConsumerGroupOffsets("gone", Map.of(p0, new OffsetAndMetadata(5))).all().get();
            admin.deleteConsumerGroups(List.of("gone")).all().get();
            JoinGroupResponse joined = raw.joinNew("members", 30_000, RawGroupClient.subscription("t"));
            memberId = joined.data().memberId();
            generation = joined.data().generationId();
            raw.sync("members", generation, memberId, null, List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                    .setMemberId(memberId).setAssignment(RawGroupClient.assignment("t", 0))));
        }
        broker.stopBroker();
        broker = broker.restart();
        try (Admin admin = GroupTestSupport.admin(broker); RawGroupClient raw = new RawGroupClient(broker.port)) {
            ConsumerGroupRebalanceTest.await(() -> {
                try {
                    return raw.heartbeat("members", generation, memberId, null).error() == Errors.NONE;
                } catch (Exception e) {
                    return false;
                }
            }, "the loaded group to accept its member's heartbeat");
            OffsetAndMetadata kept = admin.listConsumerGroupOffsets("kept").partitionsToOffsetAndMetadata().get().get(p0);
            assertThat(kept.offset()).isEqualTo(11);
            assertThat(kept.metadata()).isEqualTo("note");
            assertThat(admin.listConsumerGroupOffsets("gone").partitionsToOffsetAndMetadata().get()).isEmpty();
            assertThat(admin.describeConsumerGroups(List.of("members")).all().get().get("members").groupState())
                    .isEqualTo(GroupState.STABLE);
        }
    }
}
