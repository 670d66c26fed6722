package dev.stratus.storage.upload;

import dev.stratus.storage.wal.WalEntry;
import dev.stratus.storage.wal.WalReadResult;
import dev.stratus.storage.wal.WriteAheadLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Moves the WAL data of chosen streams (usually one: a partition move, a stream's close; several
 * when requests arrived together) into object storage: reads the WAL from its trim point up to a
 * cut, one slice per round, keeps only the chosen streams' batches, plans them against their
 * committed ends ({@link UploadPlan}) and commits them as objects holding those streams alone,
 * through the same prepare, PUT and commit path as whole uploads ({@link UploadCommitter}), so a
 * crash leaves at most an orphan. One job reads the WAL once, however many streams it serves.
 *
 * <p>Other streams' data stays in the WAL, so the WAL is trimmed only over the leading run of
 * records (from the trim point) that all belong to chosen streams, once they are committed: never
 * past a record of another stream, whether or not that one is uploaded. Later whole uploads and
 * WAL recovery read the committed batches again and skip them (they lie below their stream's
 * committed end), so nothing is committed twice.
 *
 * <p>Threading: every step runs on the upload executor ({@code stratus-uploader}), one job at a
 * time, as arranged by {@link UploadAgent}; a job's state is confined to that thread.
 */
final class StreamUploader {

    private final WriteAheadLog wal;
    private final UploadCommitter committer;
    private final UploadRounds rounds;
    private final Executor executor;
    private final long maxObjectBytes;

    StreamUploader(WriteAheadLog wal, UploadCommitter committer, UploadRounds rounds, Executor executor, long maxObjectBytes) {
        this.wal = wal;
        this.committer = committer;
        this.rounds = rounds;
        this.executor = executor;
        this.maxObjectBytes = maxObjectBytes;
    }

    /**
     * Commits every batch of {@code streamIds} in the WAL below {@code cut} (a durable record
     * boundary) that its stream's committed end does not cover yet. Call on the upload executor.
     */
    CompletableFuture<Void> uploadTo(Set<Long> streamIds, long cut) {
        Job job = new Job(Set.copyOf(streamIds), cut, wal.trimPosition());
        return rounds.run(job::round);
    }

    /** What one slice of the WAL held: the chosen streams' records, and how far from its start only theirs reach. */
    private record Scan(List<WalEntry> own, boolean onlyOwn, long ownPrefixEnd) {
    }

    /** One upload of chosen streams; its progress changes only when a round succeeds, so a retried round starts over cleanly. */
    private final class Job {
        private final Set<Long> streamIds;
        private final long cut;
        /** Where the next round reads. */
        private long position;
        /** Whether every record between the trim point at the job's start and {@link #position} belongs to a chosen stream. */
        private boolean onlyOwnSoFar = true;

        Job(Set<Long> streamIds, long cut, long start) {
            this.streamIds = streamIds;
            this.cut = cut;
            this.position = start;
        }

        CompletableFuture<Boolean> round() {
            long from = Math.max(position, wal.trimPosition());
            if (from >= cut) {
                return CompletableFuture.completedFuture(true);
            }
            WalReadResult slice = wal.read(from, cut, maxObjectBytes);
            if (slice.entries().isEmpty()) {
                return CompletableFuture.completedFuture(true);
            }
            Scan scan = scan(slice, from);
            return committer.plan(scan.own())
                    .thenComposeAsync(plan -> committer.commit(plan, "streams " + streamIds + " in WAL " + from + ".."
                            + slice.endPosition()), executor)
                    .thenComposeAsync(v -> {
                        position = slice.endPosition();
                        long trimTo = onlyOwnSoFar ? scan.ownPrefixEnd() : -1;
                        onlyOwnSoFar = onlyOwnSoFar && scan.onlyOwn();
                        if (trimTo > wal.trimPosition()) {
                            return wal.trim(trimTo);
                        }
                        return CompletableFuture.<Void>completedFuture(null);
                    }, executor)
                    .thenApply(v -> position >= cut);
        }

        private Scan scan(WalReadResult slice, long from) {
            List<WalEntry> own = new ArrayList<>();
            boolean onlyOwn = true;
            long ownPrefixEnd = from;
            for (WalEntry entry : slice.entries()) {
                if (streamIds.contains(entry.batch().streamId())) {
                    own.add(entry);
                    if (onlyOwn) {
                        ownPrefixEnd = entry.endPosition();
                    }
                } else {
                    onlyOwn = false;
                }
            }
            return new Scan(own, onlyOwn, ownPrefixEnd);
        }
    }
}
