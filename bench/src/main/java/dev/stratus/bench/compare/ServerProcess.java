package dev.stratus.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One server JVM (Kafka or Stratus) started by the comparison: its pid, its log (stdout and
 * stderr together), and its stop: SIGTERM, a wait for the graceful shutdown, then SIGKILL.
 *
 * <p>Started and stopped by the harness's main thread; {@link ProcessReaper} kills it from the
 * JVM shutdown hook if the run dies first.
 */
final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path logFile;

    private ServerProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code command} in {@code workDir}, output appended to {@code logFile}, and registers it with {@code reaper}. */
    static ServerProcess start(String name, List<String> command, Path workDir, Path logFile, ProcessReaper reaper)
            throws IOException {
        Files.createDirectories(logFile.getParent());
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        ServerProcess started = new ServerProcess(name, process, logFile);
        reaper.register(process);
        return started;
    }

    /** Runs a short command (such as Kafka's storage format) to its end; fails unless it exits 0 within the timeout. */
    static void runToCompletion(String name, List<String> command, Path workDir, Path logFile, Duration timeout)
            throws IOException, InterruptedException {
        Files.createDirectories(logFile.getParent());
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(name + " did not finish within " + timeout + "; see " + logFile);
        }
        if (process.exitValue() != 0) {
            throw new IOException(name + " exited with " + process.exitValue() + "; see " + logFile);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path logFile() {
        return logFile;
    }

    /**
     * SIGTERM, then waits up to {@code gracePeriod} for the process to exit; kills it after that.
     * Returns true when it exited on its own.
     */
    boolean stop(Duration gracePeriod) throws InterruptedException {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy(); // SIGTERM on Linux: both servers shut down gracefully on it
        if (process.waitFor(gracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return false;
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
