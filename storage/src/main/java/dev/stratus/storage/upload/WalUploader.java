package dev.stratus.storage.upload;

import dev.stratus.storage.wal.WalReadResult;
import dev.stratus.storage.wal.WriteAheadLog;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Moves all WAL data into object storage, one round at a time: read a slice of the WAL from its
 * trim point, plan it against where each stream stands (see {@link UploadPlan}), write and commit
 * it as one stream set object plus a stream object per large stream ({@link UploadCommitter}),
 * and only then trim the WAL past the slice. Batches already committed (by an earlier round, or
 * by a one-stream upload, see {@link StreamUploader}) are skipped. Failed rounds are retried by
 * {@link UploadRounds}.
 *
 * <p>Threading: every step runs on the upload executor ({@code stratus-uploader}), one job at a
 * time, as arranged by {@link UploadAgent}; I/O futures hop back to it.
 */
final class WalUploader {

    private final WriteAheadLog wal;
    private final UploadCommitter committer;
    private final UploadRounds rounds;
    private final Executor executor;
    private final long maxObjectBytes;

    WalUploader(WriteAheadLog wal, UploadCommitter committer, UploadRounds rounds, Executor executor, long maxObjectBytes) {
        this.wal = wal;
        this.committer = committer;
        this.rounds = rounds;
        this.executor = executor;
        this.maxObjectBytes = maxObjectBytes;
    }

    /** Uploads until the WAL is trimmed to at least {@code cut}. Call on the upload executor. */
    CompletableFuture<Void> uploadTo(long cut) {
        return rounds.run(() -> round(cut));
    }

    private CompletableFuture<Boolean> round(long cut) {
        long from = wal.trimPosition();
        if (from >= cut) {
            return CompletableFuture.completedFuture(true);
        }
        WalReadResult slice = wal.read(from, cut, maxObjectBytes);
        return committer.plan(slice.entries())
                .thenComposeAsync(plan -> committer.commit(plan, "WAL " + from + ".." + slice.endPosition()), executor)
                .thenComposeAsync(v -> wal.trim(slice.endPosition()), executor)
                .thenApply(v -> wal.trimPosition() >= cut);
    }
}
