package dev.stratus.broker.group;

/**
 * Settings of the group coordinator, with Kafka's property names and defaults.
 *
 * @param offsetsTopicPartitions  {@code offsets.topic.num.partitions}: partitions of
 *                                {@code __consumer_offsets} when the coordinator creates it (an
 *                                existing topic keeps its count); each partition is one shard of groups
 * @param minSessionTimeoutMs     {@code group.min.session.timeout.ms}
 * @param maxSessionTimeoutMs     {@code group.max.session.timeout.ms}
 * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms}: how long the first
 *                                rebalance of an empty group waits for more members
 * @param maxSize                 {@code group.max.size}: members per group
 * @param offsetMetadataMaxBytes  {@code offset.metadata.max.bytes}: longest commit metadata string
 * @param consumerHeartbeatIntervalMs {@code group.consumer.heartbeat.interval.ms}: the heartbeat
 *                                interval KIP-848 members are told to use
 * @param consumerSessionTimeoutMs {@code group.consumer.session.timeout.ms}: a KIP-848 member with no
 *                                heartbeat for this long is removed
 */
public record GroupCoordinatorConfig(int offsetsTopicPartitions, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                                     int initialRebalanceDelayMs, int maxSize, int offsetMetadataMaxBytes,
                                     int consumerHeartbeatIntervalMs, int consumerSessionTimeoutMs) {

    public static final int DEFAULT_OFFSETS_TOPIC_PARTITIONS = 50;
    public static final int DEFAULT_MIN_SESSION_TIMEOUT_MS = 6_000;
    public static final int DEFAULT_MAX_SESSION_TIMEOUT_MS = 1_800_000;
    public static final int DEFAULT_INITIAL_REBALANCE_DELAY_MS = 3_000;
    public static final int DEFAULT_MAX_SIZE = Integer.MAX_VALUE;
    public static final int DEFAULT_OFFSET_METADATA_MAX_BYTES = 4096;
    public static final int DEFAULT_CONSUMER_HEARTBEAT_INTERVAL_MS = 5_000;
    public static final int DEFAULT_CONSUMER_SESSION_TIMEOUT_MS = 45_000;

    public GroupCoordinatorConfig {
        require(offsetsTopicPartitions >= 1, "offsets.topic.num.partitions must be at least 1: " + offsetsTopicPartitions);
        require(minSessionTimeoutMs >= 0, "group.min.session.timeout.ms must not be negative: " + minSessionTimeoutMs);
        require(maxSessionTimeoutMs >= minSessionTimeoutMs,
                "group.max.session.timeout.ms must be at least group.min.session.timeout.ms: " + maxSessionTimeoutMs);
        require(initialRebalanceDelayMs >= 0,
                "group.initial.rebalance.delay.ms must not be negative: " + initialRebalanceDelayMs);
        require(maxSize >= 1, "group.max.size must be at least 1: " + maxSize);
        require(offsetMetadataMaxBytes >= 0, "offset.metadata.max.bytes must not be negative: " + offsetMetadataMaxBytes);
        require(consumerHeartbeatIntervalMs >= 1,
                "group.consumer.heartbeat.interval.ms must be positive: " + consumerHeartbeatIntervalMs);
        require(consumerSessionTimeoutMs > consumerHeartbeatIntervalMs,
                "group.consumer.session.timeout.ms must be greater than group.consumer.heartbeat.interval.ms: "
                        + consumerSessionTimeoutMs);
    }

    /** The classic settings, with Kafka's defaults for the KIP-848 consumer group settings. */
    public GroupCoordinatorConfig(int offsetsTopicPartitions, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                                  int initialRebalanceDelayMs, int maxSize, int offsetMetadataMaxBytes) {
        this(offsetsTopicPartitions, minSessionTimeoutMs, maxSessionTimeoutMs, initialRebalanceDelayMs, maxSize,
                offsetMetadataMaxBytes, DEFAULT_CONSUMER_HEARTBEAT_INTERVAL_MS, DEFAULT_CONSUMER_SESSION_TIMEOUT_MS);
    }

    /** Kafka's defaults. */
    public static GroupCoordinatorConfig defaults() {
        return new GroupCoordinatorConfig(DEFAULT_OFFSETS_TOPIC_PARTITIONS, DEFAULT_MIN_SESSION_TIMEOUT_MS,
                DEFAULT_MAX_SESSION_TIMEOUT_MS, DEFAULT_INITIAL_REBALANCE_DELAY_MS, DEFAULT_MAX_SIZE,
                DEFAULT_OFFSET_METADATA_MAX_BYTES);
    }

    public GroupCoordinatorConfig withOffsetsTopicPartitions(int value) {
        return new GroupCoordinatorConfig(value, minSessionTimeoutMs, maxSessionTimeoutMs, initialRebalanceDelayMs,
                maxSize, offsetMetadataMaxBytes, consumerHeartbeatIntervalMs, consumerSessionTimeoutMs);
    }

    public GroupCoordinatorConfig withSessionTimeoutBounds(int minMs, int maxMs) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, minMs, maxMs, initialRebalanceDelayMs, maxSize,
                offsetMetadataMaxBytes, consumerHeartbeatIntervalMs, consumerSessionTimeoutMs);
    }

    public GroupCoordinatorConfig withInitialRebalanceDelayMs(int value) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, minSessionTimeoutMs, maxSessionTimeoutMs, value,
                maxSize, offsetMetadataMaxBytes, consumerHeartbeatIntervalMs, consumerSessionTimeoutMs);
    }

    public GroupCoordinatorConfig withMaxSize(int value) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, minSessionTimeoutMs, maxSessionTimeoutMs,
                initialRebalanceDelayMs, value, offsetMetadataMaxBytes, consumerHeartbeatIntervalMs,
                consumerSessionTimeoutMs);
    }

    /** {@code group.consumer.heartbeat.interval.ms} and {@code group.consumer.session.timeout.ms}. */
    public GroupCoordinatorConfig withConsumerTimeouts(int heartbeatIntervalMs, int sessionTimeoutMs) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, minSessionTimeoutMs, maxSessionTimeoutMs,
                initialRebalanceDelayMs, maxSize, offsetMetadataMaxBytes, heartbeatIntervalMs, sessionTimeoutMs);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
