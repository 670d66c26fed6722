package dev.stratus.bench.compare;

import java.util.List;

/**
 * The workloads' sizes and durations, the same for every system. {@link #fullRun()} is the run whose
 * results docs/benchmarks.md shows (about 4 minutes per system on 2 cores); {@link #quickRun()}
 * the same phases, shortened, for developing the harness. Immutable.
 *
 * @param quick                 whether this is the shortened development run
 * @param recordBytes           value size of every record
 * @param partitions            partitions of every topic
 * @param serverWarmupSeconds   seconds at 20 MB/s, not measured, before the first phase: the server's JIT
 *                              compiles its hot paths (each server starts cold)
 * @param ratesMBps             the fixed produce rates, in MB/s (10^6 bytes)
 * @param warmupSeconds         seconds at each fixed rate before measuring (JIT, connections, batching settle)
 * @param measureSeconds        seconds measured at each fixed rate
 * @param maxProduceSeconds     how long the maximum-throughput producer runs (it builds the backlog)
 * @param maxProduceBytes       ... or until it has produced this much, whichever comes first
 * @param readTimeoutSeconds    longest a backlog read may take before it is reported as not finished
 * @param catchUpRateMBps       the producers' rate during the catch-up test
 * @param catchUpBeforeSeconds  seconds of that rate measured before the catch-up reader starts
 */
record CompareSettings(boolean quick, int recordBytes, int partitions, int serverWarmupSeconds, List<Integer> ratesMBps,
                       int warmupSeconds,
                       int measureSeconds, int maxProduceSeconds, long maxProduceBytes, int readTimeoutSeconds,
                       int catchUpRateMBps, int catchUpBeforeSeconds) {

    static CompareSettings fullRun() {
        return new CompareSettings(false, 1024, 16, 15, List.of(5, 20, 50), 5, 20, 25, 1L << 30, 60, 10, 10);
    }

    static CompareSettings quickRun() {
        return new CompareSettings(true, 1024, 16, 5, List.of(5, 20), 3, 6, 8, 256L << 20, 30, 5, 4);
    }
}
