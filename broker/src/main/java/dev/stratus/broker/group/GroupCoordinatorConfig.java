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
 */
public record GroupCoordinatorConfig(int offsetsTopicPartitions, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                                     int initialRebalanceDelayMs, int maxSize, int offsetMetadataMaxBytes) {

    public static final int DEFAULT_OFFSETS_TOPIC_PARTITIONS = 50;
    public static final int DEFAULT_MIN_SESSION_TIMEOUT_MS = 6_000;
    public static final int DEFAULT_MAX_SESSION_TIMEOUT_MS = 1_800_000;
    public static final int DEFAULT_INITIAL_REBALANCE_DELAY_MS = 3_000;
    public static final int DEFAULT_MAX_SIZE = Integer.MAX_VALUE;
    public static final int DEFAULT_OFFSET_METADATA_MAX_BYTES = 4096;

    public GroupCoordinatorConfig {
        require(offsetsTopicPartitions >= 1, "offsets.topic.num.partitions must be at least 1: " + offsetsTopicPartitions);
        require(minSessionTimeoutMs >= 0, "group.min.session.timeout.ms must not be negative: " + minSessionTimeoutMs);
        require(maxSessionTimeoutMs >= minSessionTimeoutMs,
                "group.max.session.timeout.ms must be at least group.min.session.timeout.ms: " + maxSessionTimeoutMs);
        require(initialRebalanceDelayMs >= 0,
                "group.initial.rebalance.delay.ms must not be negative: " + initialRebalanceDelayMs);
        require(maxSize >= 1, "group.max.size must be at least 1: " + maxSize);
        require(offsetMetadataMaxBytes >= 0, "offset.metadata.max.bytes must not be negative: " + offsetMetadataMaxBytes);
    }

    /** Kafka's defaults. */
    public static GroupCoordinatorConfig defaults() {
        return new GroupCoordinatorConfig(DEFAULT_OFFSETS_TOPIC_PARTITIONS, DEFAULT_MIN_SESSION_TIMEOUT_MS,
                DEFAULT_MAX_SESSION_TIMEOUT_MS, DEFAULT_INITIAL_REBALANCE_DELAY_MS, DEFAULT_MAX_SIZE,
                DEFAULT_OFFSET_METADATA_MAX_BYTES);
    }

    public GroupCoordinatorConfig withOffsetsTopicPartitions(int value) {
        return new GroupCoordinatorConfig(value, minSessionTimeoutMs, maxSessionTimeoutMs, initialRebalanceDelayMs,
                maxSize, offsetMetadataMaxBytes);
    }

    public GroupCoordinatorConfig withSessionTimeoutBounds(int minMs, int maxMs) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, minMs, maxMs, initialRebalanceDelayMs, maxSize,
                offsetMetadataMaxBytes);
    }

    public GroupCoordinatorConfig withInitialRebalanceDelayMs(int value) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, minSessionTimeoutMs, maxSessionTimeoutMs, value,
                maxSize, offsetMetadataMaxBytes);
    }

    public GroupCoordinatorConfig withMaxSize(int value) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, minSessionTimeoutMs, maxSessionTimeoutMs,
                initialRebalanceDelayMs, value, offsetMetadataMaxBytes);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
