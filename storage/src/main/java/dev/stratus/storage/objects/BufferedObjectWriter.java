package dev.stratus.storage.objects;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The fallback {@link ObjectWriter} of stores without a streaming write (the {@code memory}
 * store, test doubles): keeps every piece and writes the whole object with one
 * {@link ObjectStorage#put} at completion. It therefore holds the whole object: fine for tests,
 * not for production stores, which override {@link ObjectStorage#writer(String)}.
 *
 * <p>Not thread-safe, like every writer.
 */
final class BufferedObjectWriter implements ObjectWriter {

    private final ObjectStorage storage;
    private final String key;
    private final List<ByteBuffer> pieces = new ArrayList<>();
    private long bytes;
    private boolean ended;

    BufferedObjectWriter(ObjectStorage storage, String key) {
        this.storage = storage;
        this.key = key;
    }

    @Override
    public CompletableFuture<Void> write(List<ByteBuffer> data) {
        if (ended) {
            return CompletableFuture.failedFuture(new IllegalStateException("writer of " + key + " already ended"));
        }
        for (ByteBuffer piece : data) {
            pieces.add(piece.duplicate());
            bytes += piece.remaining();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> complete() {
        if (ended) {
            return CompletableFuture.failedFuture(new IllegalStateException("writer of " + key + " already ended"));
        }
        ended = true;
        if (bytes > Integer.MAX_VALUE) {
            return CompletableFuture.failedFuture(new IllegalStateException(key + ": " + bytes + " bytes do not fit one buffer"));
        }
        ByteBuffer whole = ByteBuffer.allocate((int) bytes);
        pieces.forEach(whole::put);
        pieces.clear();
        return storage.put(key, whole.flip());
    }

    @Override
    public CompletableFuture<Void> abort() {
        ended = true;
        pieces.clear();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public long bytesWritten() {
        return bytes;
    }

    @Override
    public long maxBufferedBytes() {
        return Long.MAX_VALUE;
    }
}
