package dev.stratus.metadata.quorum;

import java.util.List;

/**
 * The quorum as one member sees it, for DescribeQuorum: the leader and its term, the highest
 * committed index, and per voter the index its log is known to reach and when it was last heard
 * from (-1 when unknown). Only a leader knows the followers; a follower reports itself.
 */
public record QuorumStatus(int leaderId, long leaderEpoch, long highWatermark, List<Replica> voters) {

    public QuorumStatus {
        voters = List.copyOf(voters);
    }

    public record Replica(int id, long logEndOffset, long lastFetchTimestampMs, long lastCaughtUpTimestampMs) {
    }
}
