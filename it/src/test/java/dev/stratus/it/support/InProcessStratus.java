package dev.stratus.it.support;

import dev.stratus.server.StratusServer;
import dev.stratus.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Stratus node running inside the test JVM on 127.0.0.1 and an ephemeral port, with its data
 * under a test directory. Closing it shuts it down gracefully.
 */
public final class InProcessStratus implements AutoCloseable {

    private final StratusServer server;

    private InProcessStratus(StratusServer server) {
        this.server = server;
    }

    public static InProcessStratus start(Path dataDir, Map<String, String> overrides) throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("listeners", "PLAINTEXT://127.0.0.1:0");
        properties.put("log.dirs", dataDir.toString());
        // Small enough to keep test machines comfortable, big enough not to stall producers.
        properties.put("wal.capacity.bytes", String.valueOf(256L << 20));
        properties.putAll(overrides);
        StratusServer server = new StratusServer(ServerConfig.parse(properties));
        server.start();
        return new InProcessStratus(server);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + server.boundPort();
    }

    public int port() {
        return server.boundPort();
    }

    public StratusServer server() {
        return server;
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
