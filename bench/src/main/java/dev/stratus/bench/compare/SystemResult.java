package dev.stratus.bench.compare;

import java.util.List;
import java.util.Optional;

/**
 * Everything measured on one system in one run. A phase that failed is null and its failure is
 * in {@code failures}; the report shows a dash for it. Immutable.
 *
 * @param whole        the server's resources from ready to just before its stop (CPU, peak RSS, disk writes)
 * @param storageUsage Stratus' storage counters at shutdown; empty for Kafka
 * @param load         CPU of the harness (clients, and s3proxy for Stratus) and of other processes
 *                     on the machine while the system was measured
 */
record SystemResult(SystemUnderTest system, List<FixedRateWorkload.Result> fixedRates, MaxProduceWorkload.Result maxProduce,
                    MaxConsumeWorkload.Result maxConsume, CatchUpWorkload.Result catchUp, ProcessStats whole,
                    long producedBytes, long tailReadBytes, long backlogReadBytes, Optional<StorageUsageLine> storageUsage,
                    double elapsedSeconds, Load load, List<String> failures) {

    /**
     * Who else used the CPU from ready to stop, in CPU seconds over {@code seconds} of wall time: the
     * harness, other processes (user space), and kernel work charged to no process of the run. Immutable.
     */
    record Load(double seconds, double harnessCpuSeconds, double otherCpuSeconds, double kernelOtherCpuSeconds) {
    }

    FixedRateWorkload.Result atRate(int targetMBps) {
        return fixedRates.stream().filter(r -> r.targetMBps() == targetMBps).findFirst().orElse(null);
    }
}
