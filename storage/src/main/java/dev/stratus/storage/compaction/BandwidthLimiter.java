package dev.stratus.storage.compaction;

import java.time.Clock;

/**
 * A token bucket in bytes: {@link #acquire} takes {@code bytes} and, when the bucket runs dry,
 * sleeps until the refill (at {@code bytesPerSec}) has paid the debt. The bucket holds at most
 * one second of bandwidth, so an idle period does not allow a burst larger than that. A
 * request larger than the bucket is allowed to go into debt, so it never waits forever.
 *
 * <p>Owned by the compaction thread (not thread-safe); time comes from the injected clock and
 * waiting goes through the injected {@link Sleeper}, so tests run it without real time.
 */
public final class BandwidthLimiter {

    /** How the limiter waits; production sleeps the thread. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final long bytesPerSec;
    private final Clock clock;
    private final Sleeper sleeper;
    private double tokens;
    private long lastRefillMs;
    private long waitedMs;

    public BandwidthLimiter(long bytesPerSec, Clock clock, Sleeper sleeper) {
        if (bytesPerSec <= 0) {
            throw new IllegalArgumentException("bytesPerSec must be positive: " + bytesPerSec);
        }
        this.bytesPerSec = bytesPerSec;
        this.clock = clock;
        this.sleeper = sleeper;
        this.tokens = bytesPerSec;
        this.lastRefillMs = clock.millis();
    }

    /** Takes {@code bytes} from the bucket, first waiting until it is no longer in debt. */
    public void acquire(long bytes) throws InterruptedException {
        refill();
        while (tokens < 0) {
            long waitMs = Math.max(1, (long) Math.ceil(-tokens * 1000.0 / bytesPerSec));
            sleeper.sleep(waitMs);
            waitedMs += waitMs;
            refill();
        }
        tokens -= bytes;
    }

    /** Total time spent waiting, for reports and tests. */
    public long waitedMs() {
        return waitedMs;
    }

    private void refill() {
        long nowMs = clock.millis();
        if (nowMs > lastRefillMs) {
            tokens = Math.min(bytesPerSec, tokens + (nowMs - lastRefillMs) * (double) bytesPerSec / 1000.0);
            lastRefillMs = nowMs;
        }
    }
}
