package dev.stratus.storage.wal;

import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.testing.ForwardingObjectStorage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Object storage for WAL tests: forwards to a real store, but can hold conditional PUTs until
 * released (so a test sees what happens before a PUT succeeds), fail the next ones, and counts
 * attempts. Thread-safe.
 */
final class ControlledObjectStorage extends ForwardingObjectStorage {

    private record Held(String key, ByteBuffer data, CompletableFuture<Boolean> result) {
    }

    private final List<Held> held = new ArrayList<>();
    private final AtomicInteger failuresToInject = new AtomicInteger();
    private final AtomicInteger lostAnswersToInject = new AtomicInteger();
    private final AtomicInteger conditionalPuts = new AtomicInteger();
    private final AtomicInteger failedPuts = new AtomicInteger();
    private boolean holding;

    ControlledObjectStorage(ObjectStorage delegate) {
        super(delegate);
    }

    ObjectStorage delegate() {
        return delegate;
    }

    synchronized void holdPuts() {
        holding = true;
    }

    /** Lets held PUTs through (in the order they were made) and stops holding. */
    void releasePuts() {
        List<Held> released;
        synchronized (this) {
            holding = false;
            released = new ArrayList<>(held);
            held.clear();
        }
        for (Held put : released) {
            delegate.putIfAbsent(put.key(), put.data()).whenComplete((created, error) -> {
                if (error != null) {
                    put.result().completeExceptionally(error);
                } else {
                    put.result().complete(created);
                }
            });
        }
    }

    synchronized int heldPuts() {
        return held.size();
    }

    /** The next {@code count} conditional PUTs land, but their caller is told they failed (an ambiguous outcome). */
    void loseAnswerOfNextPuts(int count) {
        lostAnswersToInject.set(count);
    }

    void failNextPuts(int count) {
        failuresToInject.set(count);
    }

    /** Conditional PUT attempts, including failed and held ones. */
    int conditionalPuts() {
        return conditionalPuts.get();
    }

    int failedPuts() {
        return failedPuts.get();
    }

    @Override
    public CompletableFuture<Boolean> putIfAbsent(String key, ByteBuffer data) {
        conditionalPuts.incrementAndGet();
        if (failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            failedPuts.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("injected PUT failure for " + key));
        }
        if (lostAnswersToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            failedPuts.incrementAndGet();
            return delegate.putIfAbsent(key, data).thenCompose(created ->
                    CompletableFuture.failedFuture(new IOException("injected timeout after the PUT of " + key + " landed")));
        }
        synchronized (this) {
            if (holding) {
                CompletableFuture<Boolean> result = new CompletableFuture<>();
                held.add(new Held(key, data.duplicate(), result));
                return result;
            }
        }
        return delegate.putIfAbsent(key, data);
    }
}
