package dev.stratus.metadata.log;

import dev.stratus.metadata.record.MetadataRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The replicated (or, on one node, local) log of metadata record batches that every node's
 * image is built from. Two implementations: {@link LocalMetadataLog}, the journal of a
 * single node, and the Ratis quorum.
 *
 * <p>Contract: {@link #start} delivers every batch already committed, then every later one, to
 * the listener, in order. {@link #propose} appends a batch atomically if this node still leads
 * at {@code leaderEpoch}; its future completes with the batch's offset once the batch is
 * committed and this node's listener has been called for it, or fails with
 * {@link NotLeaderException} if leadership changed first (then the batch is never applied).
 */
public interface MetadataLog extends AutoCloseable {

    /** Replays what the log holds into {@code listener} and keeps it informed from then on. */
    void start(MetadataLogListener listener) throws Exception;

    CompletableFuture<Long> propose(long leaderEpoch, List<MetadataRecord> records);

    /** Who leads now, as this node knows it. */
    LeaderAndEpoch leader();

    /** This node's id. */
    int nodeId();

    @Override
    void close();

    /** The leader of the log (-1 when unknown) and the epoch (term) of its leadership. */
    record LeaderAndEpoch(int leaderId, long epoch) {
    }

    /** A proposal made by a node that does not, or no longer, lead. */
    final class NotLeaderException extends IllegalStateException {
        public NotLeaderException(String message) {
            super(message);
        }
    }
}
