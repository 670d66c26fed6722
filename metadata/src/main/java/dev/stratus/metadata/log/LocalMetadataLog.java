package dev.stratus.metadata.log;

import dev.stratus.metadata.journal.MetadataJournal;
import dev.stratus.metadata.record.MetadataRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The metadata log of a single node: its {@link MetadataJournal}. The node always leads (epoch
 * 0); a proposal is written and forced, then applied, on the proposer's thread before its future
 * completes. The journal's offsets are batch numbers counted from its start (the journal holds
 * no offsets; every start replays it whole as one batch).
 *
 * <p>Thread: one proposer at a time (the controller's thread).
 */
public final class LocalMetadataLog implements MetadataLog {

    private final int nodeId;
    private final MetadataJournal journal;
    private final List<MetadataRecord> replayed;
    private MetadataLogListener listener;
    private long nextOffset;

    private LocalMetadataLog(int nodeId, MetadataJournal journal, List<MetadataRecord> replayed) {
        this.nodeId = nodeId;
        this.journal = journal;
        this.replayed = replayed;
    }

    /** Opens (creating) the journal at {@code path} and reads what it holds. */
    public static LocalMetadataLog open(int nodeId, Path path) throws IOException {
        MetadataJournal.Replay replay = MetadataJournal.open(path);
        return new LocalMetadataLog(nodeId, replay.journal(), replay.records());
    }

    @Override
    public void start(MetadataLogListener listener) {
        this.listener = listener;
        if (!replayed.isEmpty()) {
            listener.onCommit(nextOffset++, List.copyOf(replayed));
        }
    }

    @Override
    public CompletableFuture<Long> propose(long leaderEpoch, List<MetadataRecord> records) {
        if (leaderEpoch != 0) {
            return CompletableFuture.failedFuture(new NotLeaderException("the local log's only epoch is 0, not " + leaderEpoch));
        }
        try {
            journal.append(records);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        long offset = nextOffset++;
        listener.onCommit(offset, List.copyOf(records));
        return CompletableFuture.completedFuture(offset);
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
        try {
            journal.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
