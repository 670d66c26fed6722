package dev.stratus.metadata.log;

import dev.stratus.metadata.record.MetadataRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A metadata log in memory, for tests: one node that always leads (epoch 0), proposals applied
 * on the proposer's thread. Keeps every batch, so that a test can replay the same log onto
 * another node's image. Thread: one proposer at a time.
 */
public final class MemoryMetadataLog implements MetadataLog {

    private final int nodeId;
    private final List<List<MetadataRecord>> batches = new ArrayList<>();
    private MetadataLogListener listener;

    public MemoryMetadataLog(int nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public synchronized void start(MetadataLogListener listener) {
        this.listener = listener;
        for (int offset = 0; offset < batches.size(); offset++) {
            listener.onCommit(offset, batches.get(offset));
        }
    }

    @Override
    public synchronized CompletableFuture<Long> propose(long leaderEpoch, List<MetadataRecord> records) {
        if (leaderEpoch != 0) {
            return CompletableFuture.failedFuture(new NotLeaderException("the memory log's only epoch is 0, not " + leaderEpoch));
        }
        long offset = batches.size();
        batches.add(List.copyOf(records));
        if (listener != null) {
            listener.onCommit(offset, batches.get((int) offset));
        }
        return CompletableFuture.completedFuture(offset);
    }

    /** Every committed batch, in order. */
    public synchronized List<List<MetadataRecord>> batches() {
        return List.copyOf(batches);
    }

    @Override
    public LeaderAndEpoch leader() {
        return new LeaderAndEpoch(nodeId, 0);
    }

    @Override
    public int nodeId() {
        return nodeId;
    }

    @Override
    public void close() {
    }
}
