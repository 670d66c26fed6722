package dev.stratus.broker.group;

/**
 * Moves one KIP-848 member toward its target assignment, one safe step per heartbeat: partitions
 * it must lose are revoked first (its epoch stays until it acknowledges by reporting owned
 * partitions without them); only then does it take the target epoch, and it gets each new
 * partition only once no other member holds it (assigned or still revoking). Pure function of its
 * arguments and the member; no I/O. Called on the shard thread.
 */
final class MemberReconciler {

    private MemberReconciler() {
    }

    /**
     * @param owned         the partitions the member reported owning in this heartbeat, null if not reported
     * @param heldByOthers  the partitions other members hold
     * @return whether the member changed
     */
    static boolean reconcile(ConsumerMember member, Assignment target, int targetEpoch, Assignment owned,
                             Assignment heldByOthers) {
        boolean changed = false;
        if (member.state == ConsumerMember.State.UNREVOKED_PARTITIONS) {
            if (owned == null || !owned.disjoint(member.revoking)) {
                return false;
            }
            member.revoking = Assignment.EMPTY;
            changed = true;
        }
        if (!changed && member.state == ConsumerMember.State.STABLE && member.memberEpoch == targetEpoch) {
            return false;
        }
        Assignment toRevoke = member.assigned.minus(target);
        if (!toRevoke.isEmpty()) {
            member.assigned = member.assigned.intersect(target);
            member.revoking = toRevoke;
            member.state = ConsumerMember.State.UNREVOKED_PARTITIONS;
            return true;
        }
        Assignment next = member.assigned.union(target.minus(heldByOthers));
        ConsumerMember.State nextState = next.equals(target)
                ? ConsumerMember.State.STABLE : ConsumerMember.State.UNRELEASED_PARTITIONS;
        if (member.memberEpoch != targetEpoch) {
            member.previousMemberEpoch = member.memberEpoch;
            member.memberEpoch = targetEpoch;
            changed = true;
        }
        if (!next.equals(member.assigned) || nextState != member.state) {
            member.assigned = next;
            member.state = nextState;
            changed = true;
        }
        return changed;
    }
}
