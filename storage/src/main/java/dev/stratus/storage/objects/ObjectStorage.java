package dev.stratus.storage.objects;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Object storage as the engine sees it: whole-object writes, ranged reads, listing and
 * deletion by key. Implementations: {@code fs} (a local directory, the embedded default),
 * {@code memory} (unit tests) and {@code s3} (issue #3). Every call is counted in
 * {@link ObjectStorageStats}.
 *
 * <p>Implementations are thread-safe; futures complete on the implementation's threads.
 */
public interface ObjectStorage extends AutoCloseable {

    /** Writes the whole object; visible to readers only once the future completes. */
    CompletableFuture<Void> put(String key, ByteBuffer data);

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
