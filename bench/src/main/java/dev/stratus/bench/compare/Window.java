package dev.stratus.bench.compare;

/**
 * What a producer or consumer did during one measured interval: records and value bytes
 * acknowledged (or consumed), the interval's length, and the latencies recorded in it. Immutable.
 */
record Window(long records, long bytes, double seconds, long errors, LatencySummary latency) {

    /** Value bytes per second, in MB/s (10^6 bytes). */
    double megabytesPerSecond() {
        return seconds > 0 ? bytes / seconds / 1e6 : 0;
    }
}
