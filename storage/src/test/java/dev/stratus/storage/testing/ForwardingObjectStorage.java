package dev.stratus.storage.testing;

import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.objects.ObjectStorageStats;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Base of the test stores that change one call (stall it, fail it, count it) and pass the rest
 * to another store. {@link #writer} is deliberately not forwarded: the default writer ends in
 * this store's {@link #put}, so a fault injected there reaches streamed uploads too.
 *
 * <p>Thread-safe as far as the delegate is.
 */
public abstract class ForwardingObjectStorage implements ObjectStorage {

    protected final ObjectStorage delegate;

    protected ForwardingObjectStorage(ObjectStorage delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Void> put(String key, ByteBuffer data) {
        return delegate.put(key, data);
    }

    @Override
    public CompletableFuture<Boolean> putIfAbsent(String key, ByteBuffer data) {
        return delegate.putIfAbsent(key, data);
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
