package dev.stratus.server;

import dev.stratus.server.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Properties;
import java.util.UUID;

/**
 * The identity a data directory belongs to, kept in {@code <log.dirs>/meta.properties} like
 * Kafka's: the cluster id (generated on first start unless configured) and the node id. A data
 * directory never silently changes hands: a mismatch stops startup.
 */
record ClusterIdentity(String clusterId, int nodeId) {

    static final String FILE_NAME = "meta.properties";

    /**
     * The identity of a cluster node's data directory, which {@code stratus-storage format} must
     * have written: a node of a cluster never invents a cluster id (two nodes doing so would
     * form two clusters).
     */
    static ClusterIdentity loadFormatted(Path dataDir, String configuredClusterId, int nodeId) throws IOException {
        if (!Files.exists(dataDir.resolve(FILE_NAME))) {
            throw new ConfigException("The data directory " + dataDir + " is not formatted, and a node of a cluster "
                    + "(controller.quorum.voters set) does not format itself. Format it with the cluster's id: "
                    + "bin/stratus-storage.sh format -t <cluster id> -c <this node's config>; generate one id for the "
                    + "whole cluster with bin/stratus-storage.sh random-uuid.");
        }
        return loadOrCreate(dataDir, configuredClusterId, nodeId);
    }

    /** Writes a new identity; fails when the directory has one with another cluster or node id. */
    static ClusterIdentity format(Path dataDir, String clusterId, int nodeId) throws IOException {
        return loadOrCreate(dataDir, clusterId, nodeId);
    }

    static boolean isFormatted(Path dataDir) {
        return Files.exists(dataDir.resolve(FILE_NAME));
    }

    static ClusterIdentity loadOrCreate(Path dataDir, String configuredClusterId, int nodeId) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            String clusterId = properties.getProperty("cluster.id");
            int storedNodeId = Integer.parseInt(properties.getProperty("node.id", "-1"));
            if (configuredClusterId != null && !configuredClusterId.equals(clusterId)) {
                throw new ConfigException("Configured cluster.id " + configuredClusterId + " does not match cluster.id "
                        + clusterId + " in " + file + "; point log.dirs at this cluster's data or remove cluster.id.");
            }
            if (storedNodeId != nodeId) {
                throw new ConfigException("Configured node.id " + nodeId + " does not match node.id " + storedNodeId
                        + " in " + file + "; a data directory belongs to one node.");
            }
            return new ClusterIdentity(clusterId, nodeId);
        }
        String clusterId = configuredClusterId != null ? configuredClusterId : randomClusterId();
        Files.createDirectories(dataDir);
        Properties properties = new Properties();
        properties.setProperty("version", "1");
        properties.setProperty("cluster.id", clusterId);
        properties.setProperty("node.id", String.valueOf(nodeId));
        Path temp = dataDir.resolve(FILE_NAME + ".tmp");
        try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            properties.store(writer, "Stratus node identity; do not edit");
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new ClusterIdentity(clusterId, nodeId);
    }

    /** 22 URL-safe base64 characters of a random UUID: the shape Kafka tools print and accept. */
    static String randomClusterId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
