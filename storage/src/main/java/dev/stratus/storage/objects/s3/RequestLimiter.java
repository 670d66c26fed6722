package dev.stratus.storage.objects.s3;

import dev.stratus.storage.objects.ObjectStorageErrorKind;
import dev.stratus.storage.objects.ObjectStorageException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Bounds the HTTP requests outstanding at once: an asynchronous counting semaphore of
 * {@code maxInflight} permits with a bounded line of waiters. A request starts at once while
 * a permit is free; otherwise it waits in line; when the line is full too, it fails at once
 * with a {@code RETRIABLE} {@link ObjectStorageException}. A permit is held from the start of
 * one attempt to its end (backoff waits hold none), so a slow or failing store slows its
 * callers down instead of piling up requests.
 *
 * <p>Nothing blocks: callers may be SDK completion threads, which must not wait for permits
 * that only their own progress can free. The waiter that takes a freed permit is started on
 * {@code dispatcher} (the store's scheduler thread), not on the thread that freed it.
 * Thread-safe (one lock around the counters and the line).
 */
final class RequestLimiter {

    private final int maxInflight;
    private final int maxQueued;
    private final Executor dispatcher;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private int inflight;
    private int peakInflight;
    private boolean closed;

    RequestLimiter(int maxInflight, int maxQueued, Executor dispatcher) {
        this.maxInflight = maxInflight;
        this.maxQueued = maxQueued;
        this.dispatcher = dispatcher;
    }

    /**
     * Runs {@code request} once a permit is free and gives the permit back when its future
     * completes. The returned future completes like the request's.
     */
    <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> request) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Waiter waiter = new Waiter(() -> startHoldingPermit(request, result), result::completeExceptionally);
        boolean startNow;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new ObjectStorageException(ObjectStorageErrorKind.RETRIABLE,
                        "S3 object storage is closed"));
            }
            if (inflight < maxInflight) {
                inflight++;
                peakInflight = Math.max(peakInflight, inflight);
                startNow = true;
            } else if (waiting.size() < maxQueued) {
                waiting.add(waiter);
                startNow = false;
            } else {
                return CompletableFuture.failedFuture(new Overloaded(inflight, waiting.size()));
            }
        }
        if (startNow) {
            waiter.start().run();
        }
        return result;
    }

    private <T> void startHoldingPermit(Supplier<CompletableFuture<T>> request, CompletableFuture<T> result) {
        CompletableFuture<T> attempt;
        try {
            attempt = request.get();
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.whenComplete((value, error) -> {
            release();
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(value);
            }
        });
    }

    private void release() {
        Waiter next;
        synchronized (this) {
            next = closed ? null : waiting.poll();
            if (next == null) {
                inflight--;
                return;
            }
        }
        // The permit passes to the next waiter, which starts on the dispatcher thread.
        try {
            dispatcher.execute(next.start());
        } catch (RuntimeException e) {
            next.start().run();
        }
    }

    synchronized int inflight() {
        return inflight;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    /** The most requests that were ever in flight together. */
    synchronized int peakInflight() {
        return peakInflight;
    }

    /** Fails the requests still waiting; requests in flight finish on their own. */
    void close() {
        ArrayDeque<Waiter> abandoned;
        synchronized (this) {
            closed = true;
            abandoned = new ArrayDeque<>(waiting);
            waiting.clear();
        }
        ObjectStorageException closedError = new ObjectStorageException(ObjectStorageErrorKind.RETRIABLE, "S3 object storage is closed");
        abandoned.forEach(waiter -> waiter.fail().accept(closedError));
    }

    /**
     * A request turned away because every permit is taken and the line is full: retriable, but
     * left to the caller (retrying here would only hide an unbounded queue).
     */
    static final class Overloaded extends ObjectStorageException {
        Overloaded(int inflight, int waiting) {
            super(ObjectStorageErrorKind.RETRIABLE, "too many S3 requests: " + inflight + " in flight and " + waiting + " waiting");
        }
    }

    /** A request waiting for a permit: how to start it, and how to fail it if the limiter closes first. */
    private record Waiter(Runnable start, Consumer<Throwable> fail) {
    }
}
