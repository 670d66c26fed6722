package dev.stratus.broker;

import dev.stratus.broker.config.BrokerLogDefaults;
import dev.stratus.broker.fetch.FetchSessionConfig;
import dev.stratus.broker.group.GroupCoordinatorConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the broker needs to know about itself, already parsed and validated. The server
 * module maps Kafka's property names (given next to each field) onto this record.
 *
 * @param nodeId                       {@code node.id}
 * @param listenerHost                 host of {@code listeners} to bind ({@code 0.0.0.0} for all)
 * @param listenerPort                 port of {@code listeners}; 0 picks an ephemeral port
 * @param advertisedHost               host of {@code advertised.listeners} given to clients
 * @param advertisedPort               port of {@code advertised.listeners}; 0 means "the bound port"
 * @param clusterId                    {@code cluster.id}, returned in Metadata responses
 * @param numPartitions                {@code num.partitions}: partitions of auto-created topics and of
 *                                     CreateTopics asking for -1
 * @param autoCreateTopics             {@code auto.create.topics.enable}
 * @param messageMaxBytes              {@code message.max.bytes}: largest record batch accepted
 * @param socketRequestMaxBytes        {@code socket.request.max.bytes}: largest request frame
 * @param fetchMaxBytes                {@code fetch.max.bytes}: cap on one Fetch response
 * @param numNetworkThreads            {@code num.network.threads}: Netty event loops
 * @param numIoThreads                 {@code num.io.threads}: partition agents (single-threaded
 *                                     owners of partition leaders)
 * @param maxInFlightRequestsPerConnection Stratus: requests a connection may have outstanding
 *                                     before the broker stops reading from it (back-pressure)
 * @param shutdownTimeout              Stratus: how long graceful shutdown waits for in-flight
 *                                     requests and partition closes
 * @param logDefaults                  broker-level defaults of topic configs ({@code log.retention.ms},
 *                                     {@code log.retention.bytes}, {@code log.cleanup.policy},
 *                                     {@code log.message.timestamp.type}, ...) as set in the properties
 * @param retentionCheckIntervalMs     {@code log.retention.check.interval.ms}: how often retention runs
 * @param logDir                       the log directory name DescribeLogDirs reports ({@code log.dirs})
 * @param groups                       the group coordinator: {@code offsets.topic.num.partitions},
 *                                     {@code group.min.session.timeout.ms}, {@code group.max.session.timeout.ms},
 *                                     {@code group.initial.rebalance.delay.ms}, {@code group.max.size},
 *                                     {@code offset.metadata.max.bytes}
 * @param fetchSessions                incremental fetch sessions (KIP-227):
 *                                     {@code max.incremental.fetch.session.cache.slots} and the eviction time
 * @param cluster                      rack and heartbeats ({@code broker.rack}, {@code broker.heartbeat.interval.ms})
 * @param partitionCheckpointBytes     Stratus {@code partition.checkpoint.bytes}: bytes appended to a partition
 *                                     between two checkpoints, the most a new leader reads before it serves
 */
public record BrokerConfig(
        int nodeId,
        String listenerHost,
        int listenerPort,
        String advertisedHost,
        int advertisedPort,
        String clusterId,
        int numPartitions,
        boolean autoCreateTopics,
        int messageMaxBytes,
        int socketRequestMaxBytes,
        int fetchMaxBytes,
        int numNetworkThreads,
        int numIoThreads,
        int maxInFlightRequestsPerConnection,
        Duration shutdownTimeout,
        BrokerLogDefaults logDefaults,
        long retentionCheckIntervalMs,
        String logDir,
        GroupCoordinatorConfig groups,
        FetchSessionConfig fetchSessions,
        BrokerClusterSettings cluster,
        long partitionCheckpointBytes) {

    /** Default {@code partition.checkpoint.bytes}. */
    public static final long DEFAULT_PARTITION_CHECKPOINT_BYTES = 8L << 20;

    /** Kafka's default {@code message.max.bytes}. */
    public static final int DEFAULT_MESSAGE_MAX_BYTES = 1_048_588;
    /** Kafka's default {@code socket.request.max.bytes} (100 MiB). */
    public static final int DEFAULT_SOCKET_REQUEST_MAX_BYTES = 100 * 1024 * 1024;
    /** Kafka's default {@code fetch.max.bytes} (55 MiB). */
    public static final int DEFAULT_FETCH_MAX_BYTES = 55 * 1024 * 1024;

    /** Kafka's default {@code log.retention.check.interval.ms} (5 minutes). */
    public static final long DEFAULT_RETENTION_CHECK_INTERVAL_MS = 300_000L;
    /** What DescribeLogDirs names the one log directory when {@code log.dirs} is not given. */
    public static final String DEFAULT_LOG_DIR = "/stratus/streams";

    /** The configuration without log settings: Kafka's defaults for those. */
    public BrokerConfig(int nodeId, String listenerHost, int listenerPort, String advertisedHost, int advertisedPort,
                        String clusterId, int numPartitions, boolean autoCreateTopics, int messageMaxBytes,
                        int socketRequestMaxBytes, int fetchMaxBytes, int numNetworkThreads, int numIoThreads,
                        int maxInFlightRequestsPerConnection, Duration shutdownTimeout) {
        this(nodeId, listenerHost, listenerPort, advertisedHost, advertisedPort, clusterId, numPartitions,
                autoCreateTopics, messageMaxBytes, socketRequestMaxBytes, fetchMaxBytes, numNetworkThreads, numIoThreads,
                maxInFlightRequestsPerConnection, shutdownTimeout, BrokerLogDefaults.none(),
                DEFAULT_RETENTION_CHECK_INTERVAL_MS, DEFAULT_LOG_DIR, GroupCoordinatorConfig.defaults(),
                FetchSessionConfig.defaults(), BrokerClusterSettings.standalone(), DEFAULT_PARTITION_CHECKPOINT_BYTES);
    }

    /** The configuration with Kafka's defaults for fetch sessions. */
    public BrokerConfig(int nodeId, String listenerHost, int listenerPort, String advertisedHost, int advertisedPort,
                        String clusterId, int numPartitions, boolean autoCreateTopics, int messageMaxBytes,
                        int socketRequestMaxBytes, int fetchMaxBytes, int numNetworkThreads, int numIoThreads,
                        int maxInFlightRequestsPerConnection, Duration shutdownTimeout, BrokerLogDefaults logDefaults,
                        long retentionCheckIntervalMs, String logDir, GroupCoordinatorConfig groups) {
        this(nodeId, listenerHost, listenerPort, advertisedHost, advertisedPort, clusterId, numPartitions,
                autoCreateTopics, messageMaxBytes, socketRequestMaxBytes, fetchMaxBytes, numNetworkThreads, numIoThreads,
                maxInFlightRequestsPerConnection, shutdownTimeout, logDefaults, retentionCheckIntervalMs, logDir, groups,
                FetchSessionConfig.defaults(), BrokerClusterSettings.standalone(), DEFAULT_PARTITION_CHECKPOINT_BYTES);
    }

    public BrokerConfig {
        Objects.requireNonNull(fetchSessions, "fetchSessions");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(logDefaults, "logDefaults");
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(groups, "groups");
        require(partitionCheckpointBytes >= 1, "partition.checkpoint.bytes must be positive: " + partitionCheckpointBytes);
        require(retentionCheckIntervalMs >= 1, "log.retention.check.interval.ms must be positive: " + retentionCheckIntervalMs);
        Objects.requireNonNull(listenerHost, "listenerHost");
        Objects.requireNonNull(advertisedHost, "advertisedHost");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        require(nodeId >= 0, "node.id must not be negative: " + nodeId);
        require(listenerPort >= 0 && listenerPort <= 65535, "listener port out of range: " + listenerPort);
        require(advertisedPort >= 0 && advertisedPort <= 65535, "advertised port out of range: " + advertisedPort);
        require(numPartitions >= 1, "num.partitions must be at least 1: " + numPartitions);
        require(messageMaxBytes > 0, "message.max.bytes must be positive: " + messageMaxBytes);
        require(socketRequestMaxBytes > 0, "socket.request.max.bytes must be positive: " + socketRequestMaxBytes);
        require(fetchMaxBytes > 0, "fetch.max.bytes must be positive: " + fetchMaxBytes);
        require(numNetworkThreads >= 1, "num.network.threads must be at least 1: " + numNetworkThreads);
        require(numIoThreads >= 1, "num.io.threads must be at least 1: " + numIoThreads);
        require(maxInFlightRequestsPerConnection >= 1,
                "max in-flight requests per connection must be at least 1: " + maxInFlightRequestsPerConnection);
    }

    /**
     * A single-node config with Kafka's defaults, listening on {@code host:port} and advertising
     * the same address.
     */
    public static BrokerConfig defaults(int nodeId, String host, int port, String clusterId) {
        return new BrokerConfig(nodeId, host, port, host, port, clusterId, 1, true,
                DEFAULT_MESSAGE_MAX_BYTES, DEFAULT_SOCKET_REQUEST_MAX_BYTES, DEFAULT_FETCH_MAX_BYTES,
                3, Math.max(1, Runtime.getRuntime().availableProcessors()), 100, Duration.ofSeconds(30));
    }

    public BrokerConfig withNumPartitions(int value) {
        return new BrokerConfig(nodeId, listenerHost, listenerPort, advertisedHost, advertisedPort, clusterId,
                value, autoCreateTopics, messageMaxBytes, socketRequestMaxBytes, fetchMaxBytes, numNetworkThreads,
                numIoThreads, maxInFlightRequestsPerConnection, shutdownTimeout, logDefaults,
                retentionCheckIntervalMs, logDir, groups, fetchSessions, cluster, partitionCheckpointBytes);
    }

    public BrokerConfig withAutoCreateTopics(boolean value) {
        return new BrokerConfig(nodeId, listenerHost, listenerPort, advertisedHost, advertisedPort, clusterId,
                numPartitions, value, messageMaxBytes, socketRequestMaxBytes, fetchMaxBytes, numNetworkThreads,
                numIoThreads, maxInFlightRequestsPerConnection, shutdownTimeout, logDefaults,
                retentionCheckIntervalMs, logDir, groups, fetchSessions, cluster, partitionCheckpointBytes);
    }

    public BrokerConfig withMessageMaxBytes(int value) {
        return new BrokerConfig(nodeId, listenerHost, listenerPort, advertisedHost, advertisedPort, clusterId,
                numPartitions, autoCreateTopics, value, socketRequestMaxBytes, fetchMaxBytes, numNetworkThreads,
                numIoThreads, maxInFlightRequestsPerConnection, shutdownTimeout, logDefaults,
                retentionCheckIntervalMs, logDir, groups, fetchSessions, cluster, partitionCheckpointBytes);
    }

    public BrokerConfig withSocketRequestMaxBytes(int value) {
        return new BrokerConfig(nodeId, listenerHost, listenerPort, advertisedHost, advertisedPort, clusterId,
                numPartitions, autoCreateTopics, messageMaxBytes, value, fetchMaxBytes, numNetworkThreads,
                numIoThreads, maxInFlightRequestsPerConnection, shutdownTimeout, logDefaults,
                retentionCheckIntervalMs, logDir, groups, fetchSessions, cluster, partitionCheckpointBytes);
    }

    public BrokerConfig withThreads(int networkThreads, int ioThreads) {
        return new BrokerConfig(nodeId, listenerHost, listenerPort, advertisedHost, advertisedPort, clusterId,
                numPartitions, autoCreateTopics, messageMaxBytes, socketRequestMaxBytes, fetchMaxBytes, networkThreads,
                ioThreads, maxInFlightRequestsPerConnection, shutdownTimeout, logDefaults,
                retentionCheckIntervalMs, logDir, groups, fetchSessions, cluster, partitionCheckpointBytes);
    }

    public BrokerConfig withLogDefaults(BrokerLogDefaults value) {
        return new BrokerConfig(nodeId, listenerHost, listenerPort, advertisedHost, advertisedPort, clusterId,
                numPartitions, autoCreateTopics, messageMaxBytes, socketRequestMaxBytes, fetchMaxBytes, numNetworkThreads,
                numIoThreads, maxInFlightRequestsPerConnection, shutdownTimeout, value, retentionCheckIntervalMs, logDir, groups, fetchSessions, cluster, partitionCheckpointBytes);
    }

    public BrokerConfig withRetentionCheckIntervalMs(long value) {
        return new BrokerConfig(nodeId, listenerHost, listenerPort, advertisedHost, advertisedPort, clusterId,
                numPartitions, autoCreateTopics, messageMaxBytes, socketRequestMaxBytes, fetchMaxBytes, numNetworkThreads,
                numIoThreads, maxInFlightRequestsPerConnection, shutdownTimeout, logDefaults, value, logDir, groups, fetchSessions, cluster, partitionCheckpointBytes);
    }

    public BrokerConfig withGroups(GroupCoordinatorConfig value) {
        return new BrokerConfig(nodeId, listenerHost, listenerPort, advertisedHost, advertisedPort, clusterId,
                numPartitions, autoCreateTopics, messageMaxBytes, socketRequestMaxBytes, fetchMaxBytes, numNetworkThreads,
                numIoThreads, maxInFlightRequestsPerConnection, shutdownTimeout, logDefaults, retentionCheckIntervalMs,
                logDir, value, fetchSessions, cluster, partitionCheckpointBytes);
    }

    public BrokerConfig withFetchSessions(FetchSessionConfig value) {
        return new BrokerConfig(nodeId, listenerHost, listenerPort, advertisedHost, advertisedPort, clusterId,
                numPartitions, autoCreateTopics, messageMaxBytes, socketRequestMaxBytes, fetchMaxBytes, numNetworkThreads,
                numIoThreads, maxInFlightRequestsPerConnection, shutdownTimeout, logDefaults, retentionCheckIntervalMs,
                logDir, groups, value, cluster, partitionCheckpointBytes);
    }

    public BrokerConfig withPartitionCheckpointBytes(long value) {
        return new BrokerConfig(nodeId, listenerHost, listenerPort, advertisedHost, advertisedPort, clusterId,
                numPartitions, autoCreateTopics, messageMaxBytes, socketRequestMaxBytes, fetchMaxBytes, numNetworkThreads,
                numIoThreads, maxInFlightRequestsPerConnection, shutdownTimeout, logDefaults, retentionCheckIntervalMs,
                logDir, groups, fetchSessions, cluster, value);
    }

    public BrokerConfig withCluster(BrokerClusterSettings value) {
        return new BrokerConfig(nodeId, listenerHost, listenerPort, advertisedHost, advertisedPort, clusterId,
                numPartitions, autoCreateTopics, messageMaxBytes, socketRequestMaxBytes, fetchMaxBytes, numNetworkThreads,
                numIoThreads, maxInFlightRequestsPerConnection, shutdownTimeout, logDefaults, retentionCheckIntervalMs,
                logDir, groups, fetchSessions, value, partitionCheckpointBytes);
    }

    /** {@code broker.rack}, null for none. */
    public String rack() {
        return cluster.rack();
    }

    /**
     * The broker defaults of topic configs, with {@code message.max.bytes} from its own field when
     * it is not Kafka's default.
     */
    public BrokerLogDefaults effectiveLogDefaults() {
        return messageMaxBytes == DEFAULT_MESSAGE_MAX_BYTES ? logDefaults
                : logDefaults.with("message.max.bytes", String.valueOf(messageMaxBytes));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
