package dev.stratus.metadata.quorum;

import java.nio.file.Path;
import java.util.List;

/**
 * How a controller quorum member runs: who it is, the voters, where Ratis keeps its log and
 * snapshots, and the timeouts. The election timeout must ride out a GC pause of a small heap,
 * hence the defaults of 2-4 s (a 1 GiB heap's full pause is well under a second); requests to
 * the leader wait longer than an election.
 *
 * @param electionTimeoutMinMs     a follower that hears nothing from a leader this long may start an election
 * @param electionTimeoutMaxMs     ... and does by this long (randomised in between)
 * @param requestTimeoutMs         one attempt of a request to the leader
 * @param snapshotThresholdEntries a snapshot is taken every this many applied entries; the log before it is purged
 * @param logSegmentBytes          the size of one Ratis log segment file
 * @param privateRaftPort          whether the Raft server listens on a private loopback port behind the
 *                                 voter address (whose listener relays its peers' gRPC to it) instead
 *                                 of on the voter address itself
 */
public record QuorumSettings(int nodeId, String clusterId, List<QuorumVoter> voters, Path directory,
                             long electionTimeoutMinMs, long electionTimeoutMaxMs, long requestTimeoutMs,
                             long snapshotThresholdEntries, long logSegmentBytes, boolean privateRaftPort) {

    public static final long DEFAULT_ELECTION_TIMEOUT_MIN_MS = 2_000;
    public static final long DEFAULT_ELECTION_TIMEOUT_MAX_MS = 4_000;
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_SNAPSHOT_THRESHOLD_ENTRIES = 10_000;
    public static final long DEFAULT_LOG_SEGMENT_BYTES = 8L << 20;

    public QuorumSettings {
        voters = List.copyOf(voters);
        if (electionTimeoutMaxMs < electionTimeoutMinMs) {
            throw new IllegalArgumentException("election timeout max " + electionTimeoutMaxMs + " < min " + electionTimeoutMinMs);
        }
    }

    public static QuorumSettings defaults(int nodeId, String clusterId, List<QuorumVoter> voters, Path directory) {
        return new QuorumSettings(nodeId, clusterId, voters, directory, DEFAULT_ELECTION_TIMEOUT_MIN_MS,
                DEFAULT_ELECTION_TIMEOUT_MAX_MS, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_SNAPSHOT_THRESHOLD_ENTRIES,
                DEFAULT_LOG_SEGMENT_BYTES, false);
    }

    public QuorumSettings withElectionTimeoutMs(long minMs, long maxMs) {
        return new QuorumSettings(nodeId, clusterId, voters, directory, minMs, maxMs, requestTimeoutMs,
                snapshotThresholdEntries, logSegmentBytes, privateRaftPort);
    }

    public QuorumSettings withSnapshotThresholdEntries(long entries) {
        return new QuorumSettings(nodeId, clusterId, voters, directory, electionTimeoutMinMs, electionTimeoutMaxMs,
                requestTimeoutMs, entries, logSegmentBytes, privateRaftPort);
    }

    public QuorumSettings withLogSegmentBytes(long bytes) {
        return new QuorumSettings(nodeId, clusterId, voters, directory, electionTimeoutMinMs, electionTimeoutMaxMs,
                requestTimeoutMs, snapshotThresholdEntries, bytes, privateRaftPort);
    }

    /** The Raft server behind the voter address, on a private loopback port. */
    public QuorumSettings withPrivateRaftPort() {
        return new QuorumSettings(nodeId, clusterId, voters, directory, electionTimeoutMinMs, electionTimeoutMaxMs,
                requestTimeoutMs, snapshotThresholdEntries, logSegmentBytes, true);
    }

    /** This node as a voter, or null when it only follows (a broker). */
    public QuorumVoter self() {
        return voters.stream().filter(v -> v.id() == nodeId).findFirst().orElse(null);
    }
}
