package dev.stratus.bench.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A running server of one {@link SystemUnderTest}, in a process of its own on 127.0.0.1. Created,
 * used and stopped by the harness's main thread.
 */
interface SystemNode extends AutoCloseable {

    /**
     * JVM options of both servers, so that neither gets a bigger heap or a different collector than
     * the other: the G1 settings of Kafka's start scripts (kafka-run-class.sh) and the heap both
     * start scripts default to (1 GiB). Runs before 2026-12-01 used 2 GiB: Stratus' uploader then
     * ran out of a 1 GiB heap under a sustained 50 MB/s, before uploads were encoded piece by
     * piece and the server checked its storage settings against the heap at startup.
     */
    static List<String> serverJvmOptions() {
        String heap = System.getProperty(SERVER_HEAP_PROPERTY, DEFAULT_SERVER_HEAP);
        return List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent", "-Djava.awt.headless=true");
    }

    /**
     * Both servers' heap, unless {@code --server-heap} sets {@link #SERVER_HEAP_PROPERTY} (experiments):
     * the default of both kafka-server-start.sh and bin/stratus-server.sh.
     */
    String DEFAULT_SERVER_HEAP = "1g";
    String SERVER_HEAP_PROPERTY = "stratus.bench.server.heap";

    SystemUnderTest system();

    String bootstrapServers();

    ServerProcess process();

    /**
     * Stops the server gracefully (SIGTERM) and returns what Stratus reported about its storage at
     * shutdown; empty for Kafka. Fails when the server did not stop within its grace period.
     */
    Optional<StorageUsageLine> stop() throws IOException, InterruptedException;

    /** Kills the server if it still runs. */
    @Override
    default void close() {
        process().close();
    }

    /** The java that runs the harness runs the servers too. */
    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A port free on 127.0.0.1 right now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
