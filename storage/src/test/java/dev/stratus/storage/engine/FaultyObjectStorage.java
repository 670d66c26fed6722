package dev.stratus.storage.engine;

import dev.stratus.storage.objects.MemoryObjectStorage;
import dev.stratus.storage.testing.ForwardingObjectStorage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Memory object storage whose PUTs fail while {@link #failingPuts} is positive (each failure counts it down). */
final class FaultyObjectStorage extends ForwardingObjectStorage {

    final AtomicInteger failingPuts = new AtomicInteger();

    FaultyObjectStorage() {
        super(new MemoryObjectStorage());
    }

    @Override
    public CompletableFuture<Void> put(String key, ByteBuffer data) {
        if (failingPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new IOException("injected: 503 SlowDown"));
        }
        return delegate.put(key, data);
    }

}
