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
     * JVM options of both servers: the heap and G1 settings Kafka's start scripts use by default
     * (kafka-server-start.sh and kafka-run-class.sh), so that neither gets a bigger heap or a
     * different collector than the other.
     */
    List<String> SERVER_JVM_OPTIONS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent", "-Djava.awt.headless=true");

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
