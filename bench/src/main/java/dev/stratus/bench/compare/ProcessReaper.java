package dev.stratus.bench.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes sure no server process outlives the comparison: every process started is registered
 * here, and a JVM shutdown hook (installed once, by {@link #install()}) kills those still alive,
 * whether the run ended normally, failed, or was interrupted with Ctrl-C.
 *
 * <p>Thread-safe: the main thread registers, the shutdown hook thread reaps.
 */
final class ProcessReaper {

    private final List<Process> processes = new ArrayList<>();

    static ProcessReaper install() {
        ProcessReaper reaper = new ProcessReaper();
        Runtime.getRuntime().addShutdownHook(new Thread(reaper::killAll, "compare-process-reaper"));
        return reaper;
    }

    synchronized void register(Process process) {
        processes.removeIf(p -> !p.isAlive());
        processes.add(process);
    }

    private synchronized void killAll() {
        for (Process process : processes) {
            if (process.isAlive()) {
                System.err.println("compare: killing server process " + process.pid());
                process.destroyForcibly();
            }
        }
    }
}
