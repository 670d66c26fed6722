package dev.stratus.storage.stream;

import java.util.concurrent.CompletableFuture;

/**
 * The storage engine's front door: creates and opens streams over the WAL, the log cache and
 * object storage. One per node.
 *
 * <p>Lifecycle: {@link #start()} recovers the WAL (uploading and committing whatever it held
 * that object storage did not) before any stream is opened; {@link #shutdown()} uploads all
 * WAL data, commits it and trims the WAL, so that a restart has nothing to replay.
 */
public interface StreamStore extends AutoCloseable {

    /** Recovers the WAL; completes when the store is ready to open streams. */
    CompletableFuture<Void> start();

    /** Creates a new empty stream and returns its id. */
    CompletableFuture<Long> createStream();

    /**
     * Opens a stream for writing and reading with the given epoch, fencing every earlier opener.
     * Fails with {@link StreamErrorCode#FENCED} when {@code epoch} is lower than the stream's
     * current epoch.
     */
    CompletableFuture<Stream> openStream(long streamId, long epoch);

    /** Deletes a stream and (eventually) all its data. The stream must not be open. */
    CompletableFuture<Void> deleteStream(long streamId, long epoch);

    /** Uploads every stream's WAL data now, commits it and trims the WAL. */
    CompletableFuture<Void> uploadAll();

    /**
     * Uploads one stream's WAL data (everything appended to it before the call) and commits it,
     * leaving other streams' data in the WAL: what a partition move needs before the stream is
     * handed over. Completes once that data is committed to object storage. The default uploads
     * every stream, which is correct if slower.
     */
    default CompletableFuture<Void> uploadStream(long streamId) {
        return uploadAll();
    }

    /** WAL data not yet uploaded to object storage, in bytes (what a broker reports as its upload backlog). */
    default long walBacklogBytes() {
        return 0;
    }

    /** Graceful stop: upload everything, trim the WAL, release files and threads. */
    CompletableFuture<Void> shutdown();

    /** Stops at once without uploading (a crash, as far as object storage can tell). */
    @Override
    void close();
}
