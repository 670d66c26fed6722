package dev.stratus.storage.metadata;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the storage engine needs from the controller: stream lifecycle and epochs, object ids,
 * atomic object commits, and the object list of a stream. Implemented in-process for a single
 * node today and by the Ratis-backed controller later; every call is asynchronous so that a
 * remote controller fits behind the same shape.
 *
 * <p>Errors complete the future with {@link dev.stratus.storage.stream.StreamException}
 * ({@code FENCED} for a stale epoch, {@code STREAM_NOT_FOUND}, ...).
 */
public interface StreamMetadataStore {

    CompletableFuture<Long> createStream();

    /**
     * Opens with {@code epoch}, which must be at least the current epoch; fences all lower ones.
     * Returns the stream as committed.
     */
    CompletableFuture<StreamMetadata> openStream(long streamId, long epoch);

    CompletableFuture<Void> closeStream(long streamId, long epoch);

    CompletableFuture<Void> trimStream(long streamId, long epoch, long newStartOffset);

    CompletableFuture<Void> deleteStream(long streamId, long epoch);

    /** Returns the stream's committed state, or fails with STREAM_NOT_FOUND. */
    CompletableFuture<StreamMetadata> describeStream(long streamId);

    /** Reserves {@code count} consecutive object ids before the objects are written. */
    CompletableFuture<Long> prepareObjects(int count, long ttlMs);

    /**
     * Makes an object visible atomically. Every range must continue its stream exactly at the
     * committed end offset (a range already committed is an idempotent retry) and carry the
     * stream's current epoch; otherwise nothing is committed.
     */
    CompletableFuture<Void> commitObject(long objectId, long sizeBytes, List<CommitRange> ranges);

    /** Committed objects holding data of {@code streamId} in {@code [startOffset, endOffset)}, in offset order. */
    CompletableFuture<List<ObjectMetadata>> objectsOf(long streamId, long startOffset, long endOffset, int limit);

    /** Every stream's committed state (used by WAL recovery). */
    CompletableFuture<List<StreamMetadata>> allStreams();
}
