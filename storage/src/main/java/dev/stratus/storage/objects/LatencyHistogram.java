package dev.stratus.storage.objects;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in fixed log-scale buckets: bucket 0 holds everything under 64 µs, bucket
 * {@code i} in 1..19 holds {@code [2^(i+5), 2^(i+6))} µs, and the last bucket (20) everything
 * from 2^25 µs (about 34 s) up. Twenty-one counters, no allocation per sample, percentiles
 * accurate to a factor of two, which is what a cost model or an alert needs. Thread-safe,
 * lock-free.
 */
public final class LatencyHistogram {

    /** Number of buckets. */
    public static final int BUCKETS = 21;
    private static final int FIRST_BUCKET_LOG2_MICROS = 6;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    public void record(long latencyNanos) {
        counts.incrementAndGet(bucketOf(latencyNanos));
    }

    /** The bucket a latency falls into. */
    public static int bucketOf(long latencyNanos) {
        long micros = Math.max(0, latencyNanos / 1_000);
        if (micros < (1L << FIRST_BUCKET_LOG2_MICROS)) {
            return 0;
        }
        int log2 = 63 - Long.numberOfLeadingZeros(micros);
        return Math.min(BUCKETS - 1, log2 - FIRST_BUCKET_LOG2_MICROS + 1);
    }

    /** Exclusive upper bound of a bucket in nanoseconds ({@link Long#MAX_VALUE} for the last one). */
    public static long upperBoundNanos(int bucket) {
        if (bucket >= BUCKETS - 1) {
            return Long.MAX_VALUE;
        }
        return (1L << (bucket + FIRST_BUCKET_LOG2_MICROS)) * 1_000;
    }

    /** A snapshot of the bucket counts. */
    public long[] counts() {
        long[] snapshot = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
        }
        return snapshot;
    }

    /**
     * The upper bound of the bucket holding the given quantile (0..1], in nanoseconds: the true
     * value is at most this and more than half of it. 0 when nothing was recorded.
     */
    public long quantileUpperBoundNanos(double quantile) {
        if (quantile <= 0 || quantile > 1) {
            throw new IllegalArgumentException("quantile must be in (0, 1]: " + quantile);
        }
        long[] snapshot = counts();
        long total = 0;
        for (long count : snapshot) {
            total += count;
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return upperBoundNanos(i);
            }
        }
        return upperBoundNanos(BUCKETS - 1);
    }
}
