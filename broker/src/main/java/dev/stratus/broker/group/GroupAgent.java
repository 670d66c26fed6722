package dev.stratus.broker.group;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One group thread ({@code stratus-group-N}): the {@link GroupScheduler} of the shards pinned
 * to it. The task queue is bounded at {@link #MAX_QUEUED}: beyond that {@link #execute} throws
 * {@link RejectedExecutionException}, which the coordinator answers with the retriable
 * COORDINATOR_NOT_AVAILABLE. Started by {@link #start()}, stopped by {@link #shutdown}, both on
 * the broker's lifecycle thread.
 */
final class GroupAgent implements GroupScheduler {

    static final int MAX_QUEUED = 65_536;

    private final String name;
    private final Clock clock;
    private ScheduledThreadPoolExecutor executor;

    GroupAgent(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
    }

    void start() {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long nowMs() {
        return clock.millis();
    }

    @Override
    public void execute(Runnable task) {
        if (executor.getQueue().size() >= MAX_QUEUED) {
            throw new RejectedExecutionException(name + " has " + MAX_QUEUED + " tasks queued");
        }
        executor.execute(task);
    }

    @Override
    public Cancellable schedule(long delayMs, Runnable task) {
        ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    void shutdown(Duration timeout) throws InterruptedException {
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
