package dev.stratus.storage.read;

import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The threads that serve reads not answered from memory: object storage reads (block cache
 * misses) and read-backs of log-cache data evicted to the WAL. Keeping them here means a
 * consumer reading a month-old backlog waits for these threads only: appends (WAL writer
 * thread), tail reads (the log cache, on the caller's thread) and uploads (uploader thread) never
 * queue behind it.
 *
 * <p>Threading: owns {@code threads} threads named {@code stratus-catchup-read-N}, created on the
 * first read (none in the constructor). Tasks may block on I/O: the pool size is what bounds the
 * catch-up reads in flight. The queue is bounded; a read that finds it full fails at once with
 * the retriable {@code STORAGE_UNAVAILABLE} instead of waiting.
 */
public final class CatchUpReadPool implements AutoCloseable {

    private final ThreadPoolExecutor executor;
    private final AtomicInteger rejected = new AtomicInteger();

    public CatchUpReadPool(int threads, int queueCapacity) {
        if (threads <= 0 || queueCapacity <= 0) {
            throw new IllegalArgumentException("invalid catch-up read pool: " + threads + " threads, queue " + queueCapacity);
        }
        AtomicInteger ids = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), runnable -> {
                    Thread thread = new Thread(runnable, "stratus-catchup-read-" + ids.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.executor.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code read} on a pool thread; the future completes there with its result or failure. */
    public <T> CompletableFuture<T> submit(Supplier<T> read) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    future.complete(read.get());
                } catch (Throwable e) {
                    future.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            rejected.incrementAndGet();
            future.completeExceptionally(new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE,
                    executor.isShutdown() ? "catch-up reads stopped" : "too many catch-up reads queued, retry later"));
        }
        return future;
    }

    /** Reads refused because the queue was full (or the pool closed). */
    public int rejected() {
        return rejected.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
