package dev.stratus.bench.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The comparison of Stratus with Apache Kafka on one machine (issue #5): runs the same workloads
 * against Kafka (page cache, then fsync), Stratus with the file WAL and Stratus with the object
 * WAL, one system at a time, then rewrites the results section of docs/benchmarks.md and its
 * plots. Run it with {@code bench/run-vs-kafka.sh [--quick] [--systems a,b]}; see docs/benchmarks.md.
 *
 * <p>Arguments: {@code --quick} (shortened phases, results under bench/target/compare only),
 * {@code --systems kafka,kafka-fsync,stratus-file-wal,stratus-object-wal} (a subset, results under
 * bench/target/compare only), {@code --server-heap 1g} (both servers' heap instead of 1g; results under
 * bench/target/compare only), {@code --stratus-override key=value} (repeatable: one more server
 * setting for both Stratus runs, for experiments; results under bench/target/compare only),
 * {@code --docs} (rewrite the docs even so). System property
 * {@code stratus.root}: the repository root. Single-threaded apart from the clients' own threads.
 */
public final class CompareMain {

    private CompareMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean forceDocs = false;
        List<SystemUnderTest> systems = List.of(SystemUnderTest.values());
        List<String> stratusOverrides = new ArrayList<>();
        String serverHeap = SystemNode.DEFAULT_SERVER_HEAP;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--docs" -> forceDocs = true;
                case "--systems" -> systems = parseSystems(args[++i]);
                case "--stratus-override" -> stratusOverrides.add(args[++i]);
                case "--server-heap" -> serverHeap = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: [--quick] [--systems kafka,kafka-fsync,stratus-file-wal,stratus-object-wal]"
                        + " [--stratus-override key=value]... [--server-heap 1g] [--docs]");
            }
        }
        if (!serverHeap.matches("[0-9]+[mMgG]")) {
            throw new IllegalArgumentException("--server-heap takes a JVM heap size such as 1g or 1536m, not " + serverHeap);
        }
        System.setProperty(SystemNode.SERVER_HEAP_PROPERTY, serverHeap);
        boolean complete = !quick && systems.size() == SystemUnderTest.values().length && stratusOverrides.isEmpty()
                && serverHeap.equals(SystemNode.DEFAULT_SERVER_HEAP);
        BenchLayout layout = new BenchLayout(Path.of(System.getProperty("stratus.root", ".")).toAbsolutePath().normalize());
        layout.check();
        CompareSettings settings = quick ? CompareSettings.quickRun() : CompareSettings.fullRun();
        ProcessReaper reaper = ProcessReaper.install();

        long startNs = System.nanoTime();
        List<SystemResult> results = new ArrayList<>();
        for (SystemUnderTest system : systems) {
            try {
                results.add(new SystemRun(system, settings, layout, reaper, stratusOverrides).run());
            } catch (Exception e) {
                System.out.printf("[%s] FAILED: %s%n", system.key(), e);
                e.printStackTrace(System.out);
                results.add(new SystemResult(system, List.of(), null, null, null, null, 0, 0, 0, Optional.empty(), 0, null,
                        List.of("the run failed: " + e)));
            }
        }
        double elapsedSeconds = (System.nanoTime() - startNs) / 1e9;
        System.out.printf("all systems done in %.0f s%n", elapsedSeconds);
        ComparisonOutput.write(layout, settings, results, elapsedSeconds, complete || forceDocs,
                ("bench/run-vs-kafka.sh " + String.join(" ", args)).trim());
    }

    private static List<SystemUnderTest> parseSystems(String list) {
        List<SystemUnderTest> systems = new ArrayList<>();
        for (String key : list.split(",")) {
            systems.add(SystemUnderTest.ofKey(key.trim()));
        }
        return systems;
    }
}
