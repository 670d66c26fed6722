package dev.stratus.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** The server-side assignors, member reconciliation and the consumer group record, without a broker. */
class ServerAssignmentTest {

    private static final Uuid X = new Uuid(0, 1);
    private static final Uuid Y = new Uuid(0, 2);

    private static Assignment of(Uuid topic, Integer... partitions) {
        return Assignment.of(Map.of(topic, Set.of(partitions)));
    }

    @Test
    void uniformBalancesHeterogeneousSubscriptionsAndKeepsPreviousOwners() {
        UniformAssignor uniform = new UniformAssignor();
        Map<String, Set<Uuid>> subscriptions = Map.of("a", Set.of(X, Y), "b", Set.of(X), "c", Set.of(Y));
        Map<Uuid, Integer> counts = Map.of(X, 4, Y, 2);
        Map<String, Assignment> first = uniform.assign(subscriptions, counts, Map.of());
        assertThat(first.values().stream().mapToInt(Assignment::size)).containsExactlyInAnyOrder(2, 2, 2);
        assertThat(first.values().stream().reduce(Assignment.EMPTY, Assignment::union).size()).isEqualTo(6);
        // The same input again moves nothing.
        assertThat(uniform.assign(subscriptions, counts, first)).isEqualTo(first);
        // A fourth member subscribing to X takes partitions only from members holding X.
        Map<String, Assignment> second = uniform.assign(
                Map.of("a", Set.of(X, Y), "b", Set.of(X), "c", Set.of(Y), "d", Set.of(X)), counts, first);
        assertThat(second.get("c")).isEqualTo(first.get("c"));
        assertThat(second.get("d").size()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void rangeGivesCoPartitionedTopicsAlike() {
        Map<String, Assignment> result = new RangeAssignor().assign(Map.of("a", Set.of(X, Y), "b", Set.of(X, Y)),
                Map.of(X, 3, Y, 3), Map.of());
        assertThat(result.get("a")).isEqualTo(Assignment.of(Map.of(X, Set.of(0, 1), Y, Set.of(0, 1))));
        assertThat(result.get("b")).isEqualTo(Assignment.of(Map.of(X, Set.of(2), Y, Set.of(2))));
    }

    @Test
    void partitionsAreRevokedBeforeTheyAreGivenToAnotherMember() {
        ConsumerMember a = new ConsumerMember("a");
        a.memberEpoch = 1;
        a.assigned = of(X, 0, 1);
        ConsumerMember b = new ConsumerMember("b");
        // Epoch 2: b joins; target a={0}, b={1}.
        assertThat(MemberReconciler.reconcile(b, of(X, 1), 2, Assignment.EMPTY, a.holding())).isTrue();
        assertThat(b.memberEpoch).isEqualTo(2);
        assertThat(b.assigned.isEmpty()).isTrue();
        assertThat(b.state).isEqualTo(ConsumerMember.State.UNRELEASED_PARTITIONS);

        assertThat(MemberReconciler.reconcile(a, of(X, 0), 2, of(X, 0, 1), b.holding())).isTrue();
        assertThat(a.state).isEqualTo(ConsumerMember.State.UNREVOKED_PARTITIONS);
        assertThat(a.memberEpoch).isEqualTo(1);
        assertThat(a.revoking).isEqualTo(of(X, 1));
        // Not acknowledged yet: nothing moves.
        assertThat(MemberReconciler.reconcile(a, of(X, 0), 2, null, b.holding())).isFalse();
        assertThat(MemberReconciler.reconcile(b, of(X, 1), 2, Assignment.EMPTY, a.holding())).isFalse();
        // a reports owning only {0}: it takes epoch 2, and b gets {1} on its next heartbeat.
        assertThat(MemberReconciler.reconcile(a, of(X, 0), 2, of(X, 0), b.holding())).isTrue();
        assertThat(a.memberEpoch).isEqualTo(2);
        assertThat(a.previousMemberEpoch).isEqualTo(1);
        assertThat(a.state).isEqualTo(ConsumerMember.State.STABLE);
        assertThat(MemberReconciler.reconcile(b, of(X, 1), 2, Assignment.EMPTY, a.holding())).isTrue();
        assertThat(b.assigned).isEqualTo(of(X, 1));
        assertThat(b.state).isEqualTo(ConsumerMember.State.STABLE);
    }

    @Test
    void consumerGroupRecordRoundTrips() {
        ConsumerGroup group = new ConsumerGroup("g");
        group.groupEpoch = 3;
        group.assignmentEpoch = 3;
        group.assignorName = "range";
        ConsumerMember member = new ConsumerMember("m");
        member.clientId = "c";
        member.clientHost = "/127.0.0.1";
        member.subscribedTopicNames = List.of("x", "y");
        member.subscribedTopicRegex = "z.*";
        member.memberEpoch = 3;
        member.previousMemberEpoch = 2;
        member.state = ConsumerMember.State.UNREVOKED_PARTITIONS;
        member.assigned = of(X, 0);
        member.revoking = of(Y, 1);
        group.members.put("m", member);
        group.targets.put("m", of(X, 0, 2));
        GroupRecord record = new GroupRecord.ConsumerGroupRecord("g", group.snapshot());
        var batch = GroupRecordCodec.encode(List.of(record, new GroupRecord.ConsumerGroupRecord("g", null)), 0L);
        List<GroupRecord> decoded = GroupRecordCodec.decode(batch);
        assertThat(decoded).hasSize(2);
        assertThat(((GroupRecord.ConsumerGroupRecord) decoded.get(0)).value()).usingRecursiveComparison()
                .isEqualTo(group.snapshot());
        assertThat(((GroupRecord.ConsumerGroupRecord) decoded.get(1)).value()).isNull();
    }
}
