package dev.stratus.storage.engine;

import dev.stratus.storage.objects.MemoryObjectStorage;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.objects.ObjectStorageStats;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Memory object storage whose PUTs fail while {@link #failingPuts} is positive (each failure counts it down). */
final class FaultyObjectStorage implements ObjectStorage {

    final AtomicInteger failingPuts = new AtomicInteger();
    private final MemoryObjectStorage delegate = new MemoryObjectStorage();

    @Override
    public CompletableFuture<Void> put(String key, ByteBuffer data) {
        if (failingPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new IOException("injected: 503 SlowDown"));
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
