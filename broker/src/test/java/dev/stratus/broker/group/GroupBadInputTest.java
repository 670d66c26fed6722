package dev.stratus.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.broker.testing.TestBroker;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Raw-protocol bad input against a stable group: Kafka's error codes, and the group (members,
 * generation, committed offsets) unchanged afterwards. Also static-member fencing.
 */
class GroupBadInputTest {

    private static final String GROUP = "bad-input";
    private TestBroker broker;
    private RawGroupClient raw;
    private String memberId;
    private int generation;

    @BeforeEach
    void stableGroupWithOneCommittedOffset() throws Exception {
        broker = GroupTestSupport.broker();
        raw = new RawGroupClient(broker.port);
        GroupTestSupport.createTopic(broker, "t", 1);
        JoinGroupResponse joined = raw.joinNew(GROUP, 30_000, RawGroupClient.subscription("t"));
        assertThat(joined.error()).isEqualTo(Errors.NONE);
        memberId = joined.data().memberId();
        generation = joined.data().generationId();
        SyncGroupResponse synced = raw.sync(GROUP, generation, memberId, null, List.of(
                new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(memberId).setAssignment(RawGroupClient.assignment("t", 0))));
        assertThat(synced.error()).isEqualTo(Errors.NONE);
        assertThat(commitError(raw.commit(GROUP, generation, memberId, "t", 0, 42))).isEqualTo(Errors.NONE);
    }

    @AfterEach
    void stop() throws Exception {
        raw.close();
        broker.close();
    }

    @Test
    void joinGroupWithAnUnknownProtocolTypeIsInconsistentAndChangesNothing() throws Exception {
        try (RawGroupClient other = new RawGroupClient(broker.port)) {
            JoinGroupResponse response = other.join(GROUP, "", null, "not-a-consumer", 30_000, new byte[0]);
            assertThat(response.error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        }
        assertUnchanged();
    }

    @Test
    void offsetCommitFromAStaleGenerationIsIllegalGenerationAndChangesNothing() throws Exception {
        assertThat(commitError(raw.commit(GROUP, generation - 1, memberId, "t", 0, 7))).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(commitError(raw.commit(GROUP, generation + 1, memberId, "t", 0, 7))).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertUnchanged();
    }

    @Test
    void requestsOfAnUnknownMemberAreUnknownMemberIdAndChangeNothing() throws Exception {
        assertThat(commitError(raw.commit(GROUP, generation, "stranger", "t", 0, 7))).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(raw.heartbeat(GROUP, generation, "stranger", null).error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(raw.sync(GROUP, generation, "stranger", null, List.of()).error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(raw.join(GROUP, "stranger", null, "consumer", 30_000, RawGroupClient.subscription("t")).error())
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(raw.heartbeat("no-such-group", 1, "stranger", null).error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertUnchanged();
    }

    @Test
    void aStaticMemberRejoiningFencesItsOldMemberId() throws Exception {
        try (RawGroupClient s = new RawGroupClient(broker.port)) {
            String group = "static-fencing";
            JoinGroupResponse first = s.join(group, "", "instance-1", "consumer", 30_000, RawGroupClient.subscription("t"));
            assertThat(first.error()).isEqualTo(Errors.NONE);
            String oldId = first.data().memberId();
            int gen = first.data().generationId();
            assertThat(s.sync(group, gen, oldId, "instance-1", List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                    .setMemberId(oldId).setAssignment(RawGroupClient.assignment("t", 0)))).error()).isEqualTo(Errors.NONE);

            JoinGroupResponse again = s.join(group, "", "instance-1", "consumer", 30_000, RawGroupClient.subscription("t"));
            assertThat(again.error()).isEqualTo(Errors.NONE);
            assertThat(again.data().memberId()).isNotEqualTo(oldId);
            assertThat(again.data().generationId()).as("no rebalance").isEqualTo(gen);
            assertThat(again.data().skipAssignment()).isTrue();
            SyncGroupResponse kept = s.sync(group, gen, again.data().memberId(), "instance-1", List.of());
            assertThat(kept.error()).isEqualTo(Errors.NONE);
            assertThat(kept.data().assignment()).containsExactly(RawGroupClient.assignment("t", 0));

            assertThat(s.heartbeat(group, gen, oldId, "instance-1").error()).isEqualTo(Errors.FENCED_INSTANCE_ID);
            assertThat(s.heartbeat(group, gen, again.data().memberId(), "instance-1").error()).isEqualTo(Errors.NONE);
        }
    }

    private static Errors commitError(OffsetCommitResponse response) {
        return Errors.forCode(response.data().topics().get(0).partitions().get(0).errorCode());
    }

    private void assertUnchanged() throws Exception {
        assertThat(raw.heartbeat(GROUP, generation, memberId, null).error()).isEqualTo(Errors.NONE);
        try (Admin admin = GroupTestSupport.admin(broker)) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
            assertThat(description.groupState().toString()).isEqualTo("Stable");
            assertThat(description.members()).hasSize(1);
            assertThat(description.members().iterator().next().consumerId()).isEqualTo(memberId);
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition("t", 0));
            assertThat(committed.offset()).isEqualTo(42);
        }
    }

}
