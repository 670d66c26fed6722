package dev.stratus.broker.group;

import dev.stratus.broker.group.GroupMessages.CommittedOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * One KIP-848 consumer group: its group epoch (bumped on every change of membership, subscriptions,
 * subscribed topics' partitions or assignor), the epoch of its target assignment, the target
 * assignment of each member, the members, and the committed offsets. Decisions are taken by
 * {@link ConsumerGroupOps}. Owned by the shard thread.
 */
final class ConsumerGroup {

    /** The group's states, with the names Kafka reports. */
    enum State {
        EMPTY("Empty"), ASSIGNING("Assigning"), RECONCILING("Reconciling"), STABLE("Stable"), DEAD("Dead");

        final String kafkaName;

        State(String kafkaName) {
            this.kafkaName = kafkaName;
        }
    }

    final String groupId;
    int groupEpoch;
    int assignmentEpoch;
    String assignorName = UniformAssignor.NAME;
    boolean dead;
    final Map<String, ConsumerMember> members = new LinkedHashMap<>();
    final Map<String, Assignment> targets = new HashMap<>();
    final Map<TopicPartition, CommittedOffset> offsets = new LinkedHashMap<>();
    /** Partition counts of the subscribed topics when the target was last computed (not persisted). */
    Map<Uuid, Integer> subscribedPartitions = Map.of();

    ConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    State state() {
        if (dead) {
            return State.DEAD;
        }
        if (members.isEmpty()) {
            return State.EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return State.ASSIGNING;
        }
        for (ConsumerMember member : members.values()) {
            if (member.memberEpoch != assignmentEpoch || member.state != ConsumerMember.State.STABLE) {
                return State.RECONCILING;
            }
        }
        return State.STABLE;
    }

    Assignment target(String memberId) {
        return targets.getOrDefault(memberId, Assignment.EMPTY);
    }

    Collection<ConsumerMember> members() {
        return members.values();
    }

    /** The partitions held (assigned or being revoked) by members other than {@code memberId}. */
    Assignment heldByOthers(String memberId) {
        Assignment held = Assignment.EMPTY;
        for (ConsumerMember member : members.values()) {
            if (!member.memberId.equals(memberId)) {
                held = held.union(member.holding());
            }
        }
        return held;
    }

    GroupRecord.ConsumerGroupSnapshot snapshot() {
        List<GroupRecord.ConsumerMemberSnapshot> snapshots = new ArrayList<>();
        for (ConsumerMember member : members.values()) {
            snapshots.add(member.snapshot(target(member.memberId)));
        }
        return new GroupRecord.ConsumerGroupSnapshot(groupEpoch, assignmentEpoch, assignorName, snapshots);
    }

    static ConsumerGroup restore(String groupId, GroupRecord.ConsumerGroupSnapshot snapshot) {
        ConsumerGroup group = new ConsumerGroup(groupId);
        group.groupEpoch = snapshot.groupEpoch();
        group.assignmentEpoch = snapshot.assignmentEpoch();
        group.assignorName = snapshot.assignorName();
        for (GroupRecord.ConsumerMemberSnapshot m : snapshot.members()) {
            group.members.put(m.memberId(), ConsumerMember.restore(m));
            group.targets.put(m.memberId(), m.target());
        }
        return group;
    }
}
