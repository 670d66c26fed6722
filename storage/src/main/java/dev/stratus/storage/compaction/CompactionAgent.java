package dev.stratus.storage.compaction;

import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.metadata.StreamMetadataView;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs compaction and garbage collection rounds ({@link CompactionRound}) in the background:
 * every {@code intervalMs} once {@link #start()}ed, and on request ({@link #runOnce()}). Requests
 * made while a round waits to start share that round, so at most one round runs and one waits.
 *
 * <p>Threading: owns the thread {@code stratus-compaction} (created on first use, not in the
 * constructor); every round and all of its state live on it. Requests may come from any thread.
 */
public final class CompactionAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactionAgent.class);

    private final CompactionSettings settings;
    private final ScheduledExecutorService executor;
    private final CompactionRound round;
    private final BooleanSupplier owner;
    private CompletableFuture<RoundReport> waiting;
    private boolean closed;

    /** A node that always compacts (a single node, tests). */
    public CompactionAgent(ObjectStorage storage, StreamMetadataStore metadata, StreamMetadataView view,
                           CompactionSettings settings, Clock clock, BandwidthLimiter.Sleeper sleeper) {
        this(storage, metadata, view, settings, clock, sleeper, () -> true);
    }

    /**
     * @param clock   time for the grace period and the bandwidth limiter
     * @param sleeper how the bandwidth limiter waits ({@code Thread::sleep} in production)
     * @param owner   whether this node is, now, the one the metadata assigns compaction and garbage
     *                collection to; the periodic rounds of other nodes do nothing, so that one node
     *                rewrites and deletes objects at a time
     */
    public CompactionAgent(ObjectStorage storage, StreamMetadataStore metadata, StreamMetadataView view,
                           CompactionSettings settings, Clock clock, BandwidthLimiter.Sleeper sleeper, BooleanSupplier owner) {
        this.settings = settings;
        this.owner = owner;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stratus-compaction");
            thread.setDaemon(true);
            return thread;
        });
        this.round = new CompactionRound(storage, metadata, view, settings,
                new BandwidthLimiter(settings.maxBytesPerSec(), clock, sleeper), clock);
    }

    /** Starts the periodic rounds (none when the interval is 0). */
    public synchronized void start() {
        if (settings.intervalMs() > 0 && !closed) {
            executor.scheduleWithFixedDelay(this::runPeriodicRound, settings.intervalMs(), settings.intervalMs(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Runs a round as soon as the thread is free; completes with what it did. */
    public synchronized CompletableFuture<RoundReport> runOnce() {
        if (closed) {
            return CompletableFuture.failedFuture(new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, "compaction stopped"));
        }
        if (waiting != null) {
            return waiting;
        }
        CompletableFuture<RoundReport> result = new CompletableFuture<>();
        waiting = result;
        executor.execute(() -> {
            synchronized (this) {
                waiting = null;
            }
            runRound(result);
        });
        return result;
    }

    /** On the compaction thread: a timer's round, run only by the node that owns compaction now. */
    private void runPeriodicRound() {
        if (owner.getAsBoolean()) {
            runRound(null);
        }
    }

    /** On the compaction thread. */
    private void runRound(CompletableFuture<RoundReport> result) {
        try {
            RoundReport report = round.run();
            if (report.tasks() + report.failedTasks() + report.markedDead() + report.markedOrphans() + report.deleted() > 0) {
                LOG.info("compaction round: {}", report);
            }
            if (result != null) {
                result.complete(report);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(result, e);
        } catch (RuntimeException e) {
            LOG.warn("compaction round failed, the next one starts over: {}", e.toString());
            fail(result, e);
        }
    }

    private static void fail(CompletableFuture<RoundReport> result, Exception e) {
        if (result != null) {
            result.completeExceptionally(e);
        }
    }

    /** Stops: the running round is interrupted, a waiting one fails. */
    @Override
    public void close() {
        CompletableFuture<RoundReport> pending;
        synchronized (this) {
            closed = true;
            pending = waiting;
            waiting = null;
        }
        executor.shutdownNow();
        if (pending != null) {
            pending.completeExceptionally(new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, "compaction stopped"));
        }
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
