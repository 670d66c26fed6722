package dev.stratus.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Stratus node in its own JVM, started from the test class path with
 * {@code ServerMain --override ...}, so that tests can kill it for real (SIGKILL) or stop it
 * the way an operator does (SIGTERM). Output goes to a log file per start.
 */
public final class StratusProcess implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final Map<String, String> overrides;
    private Process process;
    private Path logFile;
    private int starts;

    public StratusProcess(Path dataDir, Map<String, String> overrides) throws IOException {
        this.dataDir = dataDir;
        this.port = freePort();
        this.overrides = overrides;
    }

    public StratusProcess start() throws Exception {
        launch();
        awaitListening(Duration.ofSeconds(60));
        return this;
    }

    /** Starts a server that is expected to refuse to start; returns its exit code. */
    public int startExpectingExit(Duration timeout) throws Exception {
        launch();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("server did not exit within " + timeout + "; log: " + logFile);
        }
        return process.exitValue();
    }

    private void launch() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The heap of bin/stratus-server.sh: the server refuses storage settings that do not fit its heap.
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "dev.stratus.server.ServerMain",
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
                "--override", "log.dirs=" + dataDir,
                "--override", "wal.capacity.bytes=" + (128L << 20)));
        overrides.forEach((key, value) -> {
            command.add("--override");
            command.add(key + "=" + value);
        });
        logFile = dataDir.resolveSibling(dataDir.getFileName() + "-" + port + "-server-" + (++starts) + ".log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL: no shutdown hook, no upload, no flush of anything not already durable. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the process to exit and returns its exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("server did not exit within " + timeout + " after SIGTERM; log: " + logFile);
        }
        return process.exitValue();
    }

    /** Everything the current (or last) run printed. */
    public String log() throws IOException {
        return Files.readString(logFile, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void awaitListening(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + " during startup:\n" + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("server did not listen within " + timeout + ":\n" + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
