package dev.stratus.bench.compare;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency histogram (recorded in microseconds), in milliseconds. Immutable.
 */
record LatencySummary(long count, double p50Ms, double p99Ms, double p999Ms, double maxMs) {

    /** Latencies are recorded in µs up to 10 minutes, with 3 significant digits. */
    static Histogram newHistogram() {
        return new Histogram(600_000_000L, 3);
    }

    static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new LatencySummary(micros.getTotalCount(), micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0, micros.getValueAtPercentile(99.9) / 1000.0,
                micros.getMaxValue() / 1000.0);
    }
}
