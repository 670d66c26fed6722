package dev.stratus.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
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
 * One node of a test cluster in its own JVM (a controller, a broker, or both), started from the
 * test class path with {@code ServerMain --override ...}, so that a test can SIGKILL it, stop it
 * with SIGTERM, or freeze it with SIGSTOP and thaw it with SIGCONT. Its output goes to a log
 * file per start, next to its data directory.
 */
public final class ClusterNode implements AutoCloseable {

    private final int nodeId;
    private final Path dataDir;
    private final String heap;
    private final Map<String, String> properties;
    private final int readyPort;
    private Process process;
    private Path logFile;
    private int starts;

    /** @param readyPort the port that listens once the node is up (Kafka for a broker, the quorum's for a controller) */
    ClusterNode(int nodeId, Path dataDir, String heap, Map<String, String> properties, int readyPort) {
        this.nodeId = nodeId;
        this.dataDir = dataDir;
        this.heap = heap;
        this.properties = properties;
        this.readyPort = readyPort;
    }

    public int nodeId() {
        return nodeId;
    }

    public ClusterNode start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "dev.stratus.server.ServerMain"));
        properties.forEach((key, value) -> {
            command.add("--override");
            command.add(key + "=" + value);
        });
        logFile = dataDir.resolveSibling(dataDir.getFileName() + "-" + (++starts) + ".log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        awaitListening(Duration.ofSeconds(90));
        return this;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown of anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the exit; returns the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node " + nodeId + " did not exit within " + timeout + " after SIGTERM; log: " + logFile);
        }
        return process.exitValue();
    }

    /** SIGSTOP: the process stops running, its sockets stay open (a long GC pause, a frozen VM). */
    public void pause() throws Exception {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Everything the current (or last) run printed. */
    public String log() throws IOException {
        return Files.readString(logFile, StandardCharsets.UTF_8);
    }

    /** Everything every run of this node printed, oldest first. */
    public String allLogs() throws IOException {
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= starts; i++) {
            all.append(Files.readString(dataDir.resolveSibling(dataDir.getFileName() + "-" + i + ".log"), StandardCharsets.UTF_8));
        }
        return all.toString();
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            signal("CONT");
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void awaitListening(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("node " + nodeId + " exited with " + process.exitValue() + " during startup:\n" + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", readyPort), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("node " + nodeId + " did not listen on " + readyPort + " within " + timeout + ":\n" + log());
    }
}
