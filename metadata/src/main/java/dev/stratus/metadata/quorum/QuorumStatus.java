package dev.stratus.metadata.quorum;

import java.util.List;

/**
 * The quorum as one member sees it, for DescribeQuorum: the leader and its term, the highest
 * committed index, and per voter the index its log is known to reach and when it was last heard
 * from (-1 when unknown). Only a leader knows the followers; a follower reports itself. The
 * observers are the brokers, as far as their heartbeats to the active controller said; a
 * status without them has not asked (the answering node then lists the live brokers itself).
 */
public record QuorumStatus(int leaderId, long leaderEpoch, long highWatermark, List<Replica> voters,
                           List<Replica> observers) {

    public QuorumStatus {
        voters = List.copyOf(voters);
        observers = List.copyOf(observers);
    }

    public QuorumStatus(int leaderId, long leaderEpoch, long highWatermark, List<Replica> voters) {
        this(leaderId, leaderEpoch, highWatermark, voters, List.of());
    }

    public QuorumStatus withObservers(List<Replica> brokers) {
        return new QuorumStatus(leaderId, leaderEpoch, highWatermark, voters, brokers);
    }

    public record Replica(int id, long logEndOffset, long lastFetchTimestampMs, long lastCaughtUpTimestampMs) {
    }
}
