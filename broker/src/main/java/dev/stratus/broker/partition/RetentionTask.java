package dev.stratus.broker.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces {@code retention.ms} and {@code retention.bytes}: every
 * {@code log.retention.check.interval.ms} it asks each partition led here to trim its stream
 * (the work runs on each partition's agent; trimmed data is dropped by object compaction later).
 * {@link #runOnce()} lets tests run a round at a time they choose.
 *
 * <p>Thread: {@code stratus-retention} (one daemon thread, started by {@link #start()}) only
 * schedules; a round never overlaps the next.
 */
public final class RetentionTask {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionTask.class);

    private final PartitionRegistry registry;
    private final long intervalMs;
    private ScheduledExecutorService timer;
    private CompletableFuture<Integer> running = CompletableFuture.completedFuture(0);

    public RetentionTask(PartitionRegistry registry, long intervalMs) {
        this.registry = registry;
        this.intervalMs = intervalMs;
    }

    public synchronized void start() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "stratus-retention");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        timer = executor;
        timer.scheduleWithFixedDelay(this::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            runOnce().get(Math.max(intervalMs, 60_000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Retention round failed", e);
        }
    }

    /** One round over every partition; completes with the number of partitions trimmed. */
    public synchronized CompletableFuture<Integer> runOnce() {
        if (!running.isDone()) {
            return running;
        }
        List<CompletableFuture<Long>> trims = new ArrayList<>();
        for (PartitionLeader leader : registry.leaders()) {
            trims.add(leader.enforceRetention());
        }
        running = CompletableFuture.allOf(trims.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> (int) trims.stream().filter(t -> t.join() >= 0).count());
        return running;
    }

    public synchronized void shutdown() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
