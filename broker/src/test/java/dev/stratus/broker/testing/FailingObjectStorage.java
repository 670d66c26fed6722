package dev.stratus.broker.testing;

import dev.stratus.storage.objects.MemoryObjectStorage;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.objects.ObjectStorageStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** In-memory object storage whose writes fail (as a 503 would) while {@link #failWrites} is set. Test-only. */
public final class FailingObjectStorage implements ObjectStorage {

    public volatile boolean failWrites;
    private final MemoryObjectStorage delegate = new MemoryObjectStorage();

    @Override
    public CompletableFuture<Void> put(String key, ByteBuffer data) {
        if (failWrites) {
            return CompletableFuture.failedFuture(new IOException("injected: 503 Service Unavailable"));
        }
        return delegate.put(key, data);
    }

    @Override
    public CompletableFuture<ByteBuffer> rangeRead(String key, long start, long end) {
        return delegate.rangeRead(key, start, end);
    }

    @Override
    public CompletableFuture<Long> size(String key) {
        return delegate.size(key);
    }

    @Override
    public CompletableFuture<List<String>> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public CompletableFuture<Void> delete(List<String> keys) {
        return delegate.delete(keys);
    }

    @Override
    public ObjectStorageStats stats() {
        return delegate.stats();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
