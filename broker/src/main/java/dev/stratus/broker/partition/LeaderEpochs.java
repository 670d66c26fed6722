package dev.stratus.broker.partition;

import org.apache.kafka.common.protocol.Errors;

/**
 * The one check of a client's {@code currentLeaderEpoch} against ours (KIP-320): older is
 * FENCED_LEADER_EPOCH (the client's metadata is stale), newer UNKNOWN_LEADER_EPOCH (ours is),
 * -1 means the client did not say.
 */
public final class LeaderEpochs {

    public static final int NO_EPOCH = -1;

    private LeaderEpochs() {
    }

    public static Errors check(int requestEpoch, int leaderEpoch) {
        if (requestEpoch == NO_EPOCH || requestEpoch == leaderEpoch) {
            return Errors.NONE;
        }
        return requestEpoch < leaderEpoch ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
    }
}
