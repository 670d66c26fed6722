package dev.stratus.storage.objects;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Object storage as the engine sees it: whole-object writes, ranged reads, listing and
 * deletion by key. Implementations: {@code fs} (a local directory, the embedded default),
 * {@code memory} (unit tests) and {@code s3} ({@link dev.stratus.storage.objects.s3.S3ObjectStorage}).
 * Every call is counted in {@link ObjectStorageStats}. A missing key fails with
 * {@link java.nio.file.NoSuchFileException}; other failures are sorted by
 * {@link ObjectStorageException#kindOf}.
 *
 * <p>Implementations are thread-safe; futures complete on the implementation's threads.
 */
public interface ObjectStorage extends AutoCloseable {

    /** Writes the whole object; visible to readers only once the future completes. */
    CompletableFuture<Void> put(String key, ByteBuffer data);

    /**
     * Creates the object only if no object exists under {@code key} (S3 {@code If-None-Match: *}):
     * completes with {@code true} once written, or {@code false} when the key already existed (the
     * object there is left untouched). Atomic against concurrent creators of the same key: exactly
     * one of them sees {@code true}. After an ambiguous failure an implementation that retries may
     * answer {@code false} for its own earlier attempt; callers that care read the object back.
     * The object WAL's ownership fence relies on this (see {@code ObjectWriteAheadLog}).
     *
     * <p>Optional: stores without conditional writes keep this default, which throws
     * {@link UnsupportedOperationException}.
     */
    default CompletableFuture<Boolean> putIfAbsent(String key, ByteBuffer data) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support conditional writes (putIfAbsent)");
    }

    /**
     * Starts writing the object under {@code key} piece by piece (see {@link ObjectWriter}): the
     * way to write an object without holding it whole. Replaces an existing object, like
     * {@link #put}, once completed. The default keeps the pieces and calls {@link #put} at
     * completion; stores used in production write as the pieces come.
     */
    default ObjectWriter writer(String key) {
        return new BufferedObjectWriter(this, key);
    }

    /**
     * Most heap one {@link #writer} holds while writing an object of {@code objectBytes}, beyond
     * the piece its caller is handing over: the default writer keeps the whole object. The
     * server's heap budget counts it.
     */
    default long writerMemoryBytes(long objectBytes) {
        return objectBytes;
    }

    /** Reads {@code [start, end)} of an object; {@code end} may be past the object's end. */
    CompletableFuture<ByteBuffer> rangeRead(String key, long start, long end);

    /** Size of the object, or fails with {@link java.nio.file.NoSuchFileException}-like error when missing. */
    CompletableFuture<Long> size(String key);

    CompletableFuture<List<String>> list(String prefix);

    CompletableFuture<Void> delete(List<String> keys);

    ObjectStorageStats stats();

    @Override
    void close();
}
