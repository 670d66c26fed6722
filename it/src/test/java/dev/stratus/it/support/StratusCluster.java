package dev.stratus.it.support;

import dev.stratus.server.StorageTool;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * A cluster of separate processes on 127.0.0.1: {@code controllers} controller-only nodes (ids
 * 1..n) forming the Ratis quorum and {@code brokers} broker-only nodes (ids 101..), every data
 * directory formatted with one cluster id, the brokers sharing one {@code fs} object store
 * directory. Small heaps and caches so that several JVMs fit on two cores; short but realistic
 * timeouts (quorum election 1-2 s, broker session 3 s).
 */
public final class StratusCluster implements AutoCloseable {

    public static final long SESSION_TIMEOUT_MS = 3_000;
    private static final Pattern LEADER_CHANGE = Pattern.compile("change Leader from \\S+ to (\\d+) at term (\\d+)");

    private final List<ClusterNode> controllers = new ArrayList<>();
    private final List<ClusterNode> brokers = new ArrayList<>();
    private final Map<Integer, Integer> brokerPorts = new LinkedHashMap<>();
    private final Map<Integer, Integer> controllerPorts = new LinkedHashMap<>();

    private final Path dir;

    private StratusCluster(Path dir) {
        this.dir = dir;
    }

    public static StratusCluster start(Path dir, int controllerCount, int brokerCount) throws Exception {
        StratusCluster cluster = new StratusCluster(dir);
        try {
            cluster.create(dir, controllerCount, brokerCount);
            for (ClusterNode controller : cluster.controllers) {
                controller.start();
            }
            for (ClusterNode broker : cluster.brokers) {
                broker.start();
            }
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void create(Path dir, int controllerCount, int brokerCount) throws Exception {
        Map<Integer, Integer> quorumPorts = new LinkedHashMap<>();
        for (int id = 1; id <= controllerCount; id++) {
            quorumPorts.put(id, freePort());
        }
        controllerPorts.putAll(quorumPorts);
        String voters = quorumPorts.entrySet().stream().map(e -> e.getKey() + "@127.0.0.1:" + e.getValue())
                .collect(Collectors.joining(","));
        String clusterId = "StratusItCluster000000";
        Path objects = dir.resolve("objects");
        Files.createDirectories(objects);
        for (var entry : quorumPorts.entrySet()) {
            int id = entry.getKey();
            Map<String, String> props = common(dir, id, voters);
            props.put("process.roles", "controller");
            props.put("listeners", "CONTROLLER://127.0.0.1:" + entry.getValue());
            format(dir, id, clusterId, props);
            controllers.add(new ClusterNode(id, dir.resolve("node-" + id), "-Xmx192m", props, entry.getValue()));
        }
        for (int i = 0; i < brokerCount; i++) {
            int id = 101 + i;
            int port = freePort();
            brokerPorts.put(id, port);
            Map<String, String> props = common(dir, id, voters);
            props.put("process.roles", "broker");
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + port);
            props.put("object.storage.fs.path", objects.toString());
            props.put("broker.heartbeat.interval.ms", "500");
            props.put("broker.session.timeout.ms", String.valueOf(SESSION_TIMEOUT_MS));
            // Small enough for several brokers on one test machine, big enough not to stall producers.
            props.put("wal.capacity.bytes", String.valueOf(64L << 20));
            props.put("wal.upload.threshold.bytes", String.valueOf(4L << 20));
            props.put("log.cache.bytes", String.valueOf(32L << 20));
            props.put("block.cache.bytes", String.valueOf(8L << 20));
            props.put("compaction.max.object.bytes", String.valueOf(8L << 20));
            props.put("num.network.threads", "2");
            props.put("num.io.threads", "2");
            props.put("offsets.topic.num.partitions", "6");
            props.put("group.initial.rebalance.delay.ms", "0");
            format(dir, id, clusterId, props);
            brokers.add(new ClusterNode(id, dir.resolve("node-" + id), "-Xmx384m", props, port));
        }
    }

    private static Map<String, String> common(Path dir, int id, String voters) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("node.id", String.valueOf(id));
        props.put("log.dirs", dir.resolve("node-" + id).toString());
        props.put("controller.quorum.voters", voters);
        props.put("controller.quorum.election.timeout.ms", "1000");
        props.put("controller.quorum.request.timeout.ms", "3000");
        props.put("metadata.snapshot.interval.entries", "50");
        props.put("metadata.log.segment.bytes", String.valueOf(64 << 10));
        return props;
    }

    private static void format(Path dir, int id, String clusterId, Map<String, String> props) throws IOException {
        Path config = dir.resolve("node-" + id + ".properties");
        StringBuilder text = new StringBuilder();
        props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(config, text.toString());
        int exit = new CommandLine(new StorageTool()).execute("format", "-t", clusterId, "-c", config.toString());
        if (exit != 0) {
            throw new IllegalStateException("formatting node " + id + " failed with " + exit);
        }
    }

    public List<ClusterNode> controllers() {
        return controllers;
    }

    public List<ClusterNode> brokers() {
        return brokers;
    }

    public ClusterNode broker(int id) {
        return brokers.stream().filter(b -> b.nodeId() == id).findFirst().orElseThrow();
    }

    /** Every broker's address, for bootstrap.servers. */
    public String bootstrapServers() {
        return brokerPorts.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** Every controller's CONTROLLER listener (its voter address), for {@code --bootstrap-controller}. */
    public String bootstrapControllers() {
        return controllerPorts.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** The addresses of every broker but {@code excluded}. */
    public String bootstrapServersWithout(int excluded) {
        return brokerPorts.entrySet().stream().filter(e -> e.getKey() != excluded).map(e -> "127.0.0.1:" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /**
     * The controller that leads the quorum now, as the running controllers' logs tell (the
     * leader of the highest term any of them saw), or null when none is known.
     */
    public ClusterNode leadingController() throws IOException {
        long bestTerm = -1;
        int leader = -1;
        for (ClusterNode controller : controllers) {
            if (!controller.isAlive()) {
                continue;
            }
            Matcher m = LEADER_CHANGE.matcher(controller.log());
            while (m.find()) {
                long term = Long.parseLong(m.group(2));
                if (term > bestTerm) {
                    bestTerm = term;
                    leader = Integer.parseInt(m.group(1));
                }
            }
        }
        int id = leader;
        return controllers.stream().filter(c -> c.nodeId() == id && c.isAlive()).findFirst().orElse(null);
    }

    /** SIGKILLs every node. */
    public void killAll() throws InterruptedException {
        for (ClusterNode node : brokers) {
            if (node.isAlive()) {
                node.kill();
            }
        }
        for (ClusterNode node : controllers) {
            if (node.isAlive()) {
                node.kill();
            }
        }
    }

    /** Starts every node that is not running, controllers first. */
    public void startStopped() throws Exception {
        for (ClusterNode node : controllers) {
            if (!node.isAlive()) {
                node.start();
            }
        }
        for (ClusterNode node : brokers) {
            if (!node.isAlive()) {
                node.start();
            }
        }
    }

    /** Copies every node's logs into {@code target} (the test directory is deleted afterwards). */
    public void keepLogs(Path target) {
        try {
            Files.createDirectories(target);
            try (var files = Files.list(dir)) {
                for (Path log : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                    Files.copy(log, target.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            // best effort: the logs are for reading after a failure
        }
    }

    @Override
    public void close() {
        for (ClusterNode node : brokers) {
            closeQuietly(node);
        }
        for (ClusterNode node : controllers) {
            closeQuietly(node);
        }
    }

    private static void closeQuietly(ClusterNode node) {
        try {
            node.close();
        } catch (Exception ignored) {
            // best effort: the process is gone or going
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** How long clients in cluster tests wait for things the cluster does within seconds. */
    public static Duration patience() {
        return Duration.ofSeconds(60);
    }
}
