package dev.stratus.broker.group;

import java.util.List;

/**
 * One member of a KIP-848 consumer group: what it last told us (subscription, assignor, timeouts)
 * and where it stands in reconciliation: its member epoch (and the previous one, so a member
 * whose response was lost is not fenced), the partitions it may use now ({@code assigned}), the
 * partitions it must give up before getting a new epoch ({@code revoking}), and its state. Its
 * target assignment is kept by the group. Owned by the group's shard thread.
 */
final class ConsumerMember {

    /** Where a member is in reaching its target assignment. */
    enum State {
        /** Has its target assignment at the group's assignment epoch. */
        STABLE,
        /** Must acknowledge revoking {@code revoking} before it moves on. */
        UNREVOKED_PARTITIONS,
        /** At the assignment epoch, but waits for partitions other members still own. */
        UNRELEASED_PARTITIONS
    }

    final String memberId;
    String instanceId;
    String rackId;
    String clientId;
    String clientHost;
    int rebalanceTimeoutMs;
    List<String> subscribedTopicNames = List.of();
    String subscribedTopicRegex;
    String serverAssignor;
    int memberEpoch;
    int previousMemberEpoch;
    State state = State.STABLE;
    Assignment assigned = Assignment.EMPTY;
    Assignment revoking = Assignment.EMPTY;
    GroupScheduler.Cancellable sessionExpiry = GroupScheduler.Cancellable.NONE;
    GroupScheduler.Cancellable revocationTimeout = GroupScheduler.Cancellable.NONE;

    ConsumerMember(String memberId) {
        this.memberId = memberId;
    }

    /** The partitions this member holds and no other member may be given: assigned and being revoked. */
    Assignment holding() {
        return assigned.union(revoking);
    }

    void cancelTimers() {
        sessionExpiry.cancel();
        revocationTimeout.cancel();
    }

    GroupRecord.ConsumerMemberSnapshot snapshot(Assignment target) {
        return new GroupRecord.ConsumerMemberSnapshot(memberId, instanceId, rackId, clientId, clientHost,
                rebalanceTimeoutMs, subscribedTopicNames, subscribedTopicRegex, serverAssignor, memberEpoch,
                previousMemberEpoch, state, assigned, revoking, target);
    }

    static ConsumerMember restore(GroupRecord.ConsumerMemberSnapshot s) {
        ConsumerMember member = new ConsumerMember(s.memberId());
        member.instanceId = s.instanceId();
        member.rackId = s.rackId();
        member.clientId = s.clientId();
        member.clientHost = s.clientHost();
        member.rebalanceTimeoutMs = s.rebalanceTimeoutMs();
        member.subscribedTopicNames = List.copyOf(s.subscribedTopicNames());
        member.subscribedTopicRegex = s.subscribedTopicRegex();
        member.serverAssignor = s.serverAssignor();
        member.memberEpoch = s.memberEpoch();
        member.previousMemberEpoch = s.previousMemberEpoch();
        member.state = s.state();
        member.assigned = s.assigned();
        member.revoking = s.revoking();
        return member;
    }
}
