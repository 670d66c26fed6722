package dev.stratus.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs every workload against one system: starts it on a fresh data directory (Stratus with a
 * fresh s3proxy over a directory beside it), runs the fixed rates, the maximum produce, the maximum consume and the catch-up
 * read in that order, stops it gracefully, and deletes its data (the server log stays). Whatever
 * happens, the server is stopped before {@link #run} returns. Runs on the harness's main thread.
 */
final class SystemRun {

    private final SystemUnderTest system;
    private final CompareSettings settings;
    private final BenchLayout layout;
    private final ProcessReaper reaper;
    private final List<String> stratusOverrides;
    private final List<String> failures = new ArrayList<>();

    /** @param stratusOverrides more {@code key=value} settings for a Stratus server (experiments); ignored for Kafka */
    SystemRun(SystemUnderTest system, CompareSettings settings, BenchLayout layout, ProcessReaper reaper,
              List<String> stratusOverrides) {
        this.system = system;
        this.settings = settings;
        this.layout = layout;
        this.reaper = reaper;
        this.stratusOverrides = List.copyOf(stratusOverrides);
    }

    SystemResult run() throws Exception {
        long startNs = System.nanoTime();
        Path dir = layout.workDir().resolve(system.key());
        deleteRecursively(dir);
        Files.createDirectories(dir);
        log("starting");
        S3Server s3 = system.isStratus() ? S3Server.start(dir.resolve("s3")) : null;
        try (SystemNode node = startNode(dir, s3)) {
            Traffic traffic = new Traffic();
            List<FixedRateWorkload.Result> fixedRates = new ArrayList<>();
            MaxProduceWorkload.Result maxProduce = null;
            MaxConsumeWorkload.Result maxConsume = null;
            CatchUpWorkload.Result catchUp = null;
            ProcessStats ready;
            MachineLoad readyLoad;
            long readyNs;
            try (TopicAdmin admin = TopicAdmin.awaitReady(node, Duration.ofSeconds(120))) {
                ready = ProcessStats.read(node.process().pid());
                readyLoad = MachineLoad.read();
                readyNs = System.nanoTime();
                log("ready on " + node.bootstrapServers() + " (pid " + node.process().pid() + ")");
                Workload workload = new Workload(node, admin, settings, traffic);
                phase("server warm-up", () -> {
                    FixedRateWorkload.warmUpServer(workload);
                    return null;
                });
                for (int rate : settings.ratesMBps()) {
                    FixedRateWorkload.Result result = phase("fixed rate " + rate + " MB/s", () -> FixedRateWorkload.run(workload, rate));
                    if (result != null) {
                        fixedRates.add(result);
                        log(String.format("%d MB/s: achieved %.1f MB/s, produce p50 %.2f p99 %.2f ms, end-to-end p50 %.2f p99 %.2f ms",
                                rate, result.produce().megabytesPerSecond(), result.produce().latency().p50Ms(),
                                result.produce().latency().p99Ms(), result.endToEnd().latency().p50Ms(),
                                result.endToEnd().latency().p99Ms()));
                    }
                }
                maxProduce = phase("maximum produce", () -> MaxProduceWorkload.run(workload));
                if (maxProduce != null) {
                    log(String.format("maximum produce: %.1f MB/s (%.0f MB in %.1f s)", maxProduce.produce().megabytesPerSecond(),
                            maxProduce.produce().bytes() / 1e6, maxProduce.produce().seconds()));
                    maxConsume = phase("maximum consume", () -> MaxConsumeWorkload.run(workload));
                    if (maxConsume != null) {
                        log(String.format("maximum consume: %.1f MB/s (%.0f MB in %.1f s%s)", maxConsume.read().megabytesPerSecond(),
                                maxConsume.read().bytes() / 1e6, maxConsume.read().seconds(),
                                maxConsume.read().finished() ? "" : ", NOT finished"));
                    }
                    catchUp = phase("catch-up read", () -> CatchUpWorkload.run(workload));
                    if (catchUp != null) {
                        log(String.format("catch-up: %.1f MB/s read; producer p99 %.2f ms before, %.2f ms during",
                                catchUp.read().megabytesPerSecond(), catchUp.before().latency().p99Ms(),
                                catchUp.during().latency().p99Ms()));
                    }
                }
            }
            ProcessStats whole = ProcessStats.read(node.process().pid()).minus(ready);
            MachineLoad endLoad = MachineLoad.read();
            SystemResult.Load load = new SystemResult.Load((System.nanoTime() - readyNs) / 1e9,
                    endLoad.harnessCpuSecondsSince(readyLoad), endLoad.otherUserCpuSecondsSince(readyLoad, whole),
                    endLoad.otherKernelCpuSecondsSince(readyLoad, whole));
            log(String.format("CPU while measured: server %.0f s, harness %.0f s, other processes %.0f s, other kernel work"
                    + " %.0f s, over %.0f s", whole.cpuSeconds(), load.harnessCpuSeconds(), load.otherCpuSeconds(),
                    load.kernelOtherCpuSeconds(), load.seconds()));
            log("stopping (SIGTERM)");
            Optional<StorageUsageLine> usage = node.stop();
            double elapsedSeconds = (System.nanoTime() - startNs) / 1e9;
            log(String.format("done in %.0f s", elapsedSeconds));
            return new SystemResult(system, fixedRates, maxProduce, maxConsume, catchUp, whole, traffic.producedBytes(),
                    traffic.tailReadBytes(), traffic.backlogReadBytes(), usage, elapsedSeconds, load, List.copyOf(failures));
        } finally {
            if (s3 != null) {
                s3.close();
            }
            deleteRecursively(dir.resolve("data"));
            deleteRecursively(dir.resolve("s3"));
        }
    }

    private SystemNode startNode(Path dir, S3Server s3) throws IOException, InterruptedException {
        if (!system.isStratus()) {
            return KafkaNode.start(system, layout, dir, reaper);
        }
        return StratusNode.start(system, layout, dir, s3, settings.partitions(), stratusOverrides, reaper);
    }

    /** A workload step whose failure is reported, not fatal: the next phases still run. */
    private interface Step<T> {
        T run() throws Exception;
    }

    private <T> T phase(String name, Step<T> step) {
        try {
            return step.run();
        } catch (Exception e) {
            String message = name + " failed: " + e;
            failures.add(message);
            log(message);
            return null;
        }
    }

    private void log(String message) {
        System.out.printf("[%s] %s%n", system.key(), message);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
