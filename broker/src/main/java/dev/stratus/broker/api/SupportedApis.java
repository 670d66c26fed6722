package dev.stratus.broker.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs and versions a broker (or a controller, {@link #controller()}) implements, exactly what ApiVersions advertises. Floors are
 * Kafka 4.0's (KIP-896, which kafka-clients 4.1.1 also uses as its oldest versions); ceilings
 * are the newest versions whose every field we handle:
 * <ul>
 * <li>Produce 3-13 (v13 names topics by id);</li>
 * <li>Fetch 4-18 (v13+ names topics by id; later additions are replica-only tagged fields);</li>
 * <li>ListOffsets 1-10, Metadata 0-13, ApiVersions 0-4, CreateTopics 2-7, DeleteTopics 1-6,
 *     InitProducerId 0-6 (transactional ids are refused, see {@link InitProducerIdHandler}).</li>
 * <li>consumer groups (classic protocol): FindCoordinator 0-6, JoinGroup 0-9, SyncGroup 0-5,
 *     Heartbeat 0-4, LeaveGroup 0-5, OffsetCommit 2-10, OffsetFetch 1-10 (v10 names topics by
 *     id), DescribeGroups 0-6, ListGroups 0-5, DeleteGroups 0-2, OffsetDelete 0.</li>
 * <li>consumer groups (KIP-848 protocol): ConsumerGroupHeartbeat 0-1, ConsumerGroupDescribe 0-1.</li>
 * <li>admin: DescribeCluster 0-2, DescribeQuorum 0-2, DescribeConfigs 1-4, AlterConfigs 0-2, IncrementalAlterConfigs
 *     0-1, CreatePartitions 0-3, DeleteRecords 0-2, DescribeLogDirs 1-4, DescribeProducers 0,
 *     OffsetForLeaderEpoch 2-4, ElectLeaders 0-2, DescribeTopicPartitions 0,
 *     AlterPartitionReassignments 0-1, ListPartitionReassignments 0.</li>
 * </ul>
 * Immutable.
 */
public final class SupportedApis {

    /** An inclusive version range. */
    public record VersionRange(short min, short max) {
        public boolean contains(short version) {
            return version >= min && version <= max;
        }
    }

    private final Map<ApiKeys, VersionRange> ranges;

    private SupportedApis(Map<ApiKeys, VersionRange> ranges) {
        this.ranges = Collections.unmodifiableMap(new EnumMap<>(ranges));
    }

    public static SupportedApis stratus() {
        Map<ApiKeys, VersionRange> ranges = new EnumMap<>(ApiKeys.class);
        put(ranges, ApiKeys.PRODUCE, 3, 13);
        put(ranges, ApiKeys.FETCH, 4, 18);
        put(ranges, ApiKeys.LIST_OFFSETS, 1, 10);
        put(ranges, ApiKeys.METADATA, 0, 13);
        put(ranges, ApiKeys.API_VERSIONS, 0, 4);
        put(ranges, ApiKeys.CREATE_TOPICS, 2, 7);
        put(ranges, ApiKeys.DELETE_TOPICS, 1, 6);
        put(ranges, ApiKeys.INIT_PRODUCER_ID, 0, 6);
        // Consumer groups, classic protocol (dev.stratus.broker.group).
        put(ranges, ApiKeys.FIND_COORDINATOR, 0, 6);
        put(ranges, ApiKeys.JOIN_GROUP, 0, 9);
        put(ranges, ApiKeys.SYNC_GROUP, 0, 5);
        put(ranges, ApiKeys.HEARTBEAT, 0, 4);
        put(ranges, ApiKeys.LEAVE_GROUP, 0, 5);
        put(ranges, ApiKeys.OFFSET_COMMIT, 2, 10);
        put(ranges, ApiKeys.OFFSET_FETCH, 1, 10);
        put(ranges, ApiKeys.DESCRIBE_GROUPS, 0, 6);
        put(ranges, ApiKeys.LIST_GROUPS, 0, 5);
        put(ranges, ApiKeys.DELETE_GROUPS, 0, 2);
        put(ranges, ApiKeys.OFFSET_DELETE, 0, 0);
        // Consumer groups, KIP-848 protocol (dev.stratus.broker.group).
        put(ranges, ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0, 1);
        put(ranges, ApiKeys.CONSUMER_GROUP_DESCRIBE, 0, 1);
        // Admin and metadata APIs.
        put(ranges, ApiKeys.DESCRIBE_CLUSTER, 0, 2);
        put(ranges, ApiKeys.DESCRIBE_QUORUM, 0, 2);
        put(ranges, ApiKeys.DESCRIBE_CONFIGS, 1, 4);
        put(ranges, ApiKeys.ALTER_CONFIGS, 0, 2);
        put(ranges, ApiKeys.INCREMENTAL_ALTER_CONFIGS, 0, 1);
        put(ranges, ApiKeys.CREATE_PARTITIONS, 0, 3);
        put(ranges, ApiKeys.DELETE_RECORDS, 0, 2);
        put(ranges, ApiKeys.DESCRIBE_LOG_DIRS, 1, 4);
        put(ranges, ApiKeys.DESCRIBE_PRODUCERS, 0, 0);
        put(ranges, ApiKeys.OFFSET_FOR_LEADER_EPOCH, 2, 4);
        put(ranges, ApiKeys.ELECT_LEADERS, 0, 2);
        put(ranges, ApiKeys.DESCRIBE_TOPIC_PARTITIONS, 0, 0);
        put(ranges, ApiKeys.ALTER_PARTITION_REASSIGNMENTS, 0, 1);
        put(ranges, ApiKeys.LIST_PARTITION_REASSIGNMENTS, 0, 0);
        return new SupportedApis(ranges);
    }

    /**
     * What a controller's CONTROLLER listener serves to Kafka's {@code --bootstrap-controller}
     * tools: ApiVersions 0-4, DescribeCluster 0-2 (controller endpoints) and DescribeQuorum 0-2.
     */
    public static SupportedApis controller() {
        Map<ApiKeys, VersionRange> ranges = new EnumMap<>(ApiKeys.class);
        put(ranges, ApiKeys.API_VERSIONS, 0, 4);
        put(ranges, ApiKeys.DESCRIBE_CLUSTER, 0, 2);
        put(ranges, ApiKeys.DESCRIBE_QUORUM, 0, 2);
        return new SupportedApis(ranges);
    }

    private static void put(Map<ApiKeys, VersionRange> ranges, ApiKeys key, int min, int max) {
        if (min < key.oldestVersion() || max > key.latestVersion()) {
            throw new IllegalStateException(key + " " + min + "-" + max + " is outside what kafka-clients can parse: "
                    + key.oldestVersion() + "-" + key.latestVersion());
        }
        ranges.put(key, new VersionRange((short) min, (short) max));
    }

    public Map<ApiKeys, VersionRange> ranges() {
        return ranges;
    }

    public boolean supports(ApiKeys key, short version) {
        VersionRange range = ranges.get(key);
        return range != null && range.contains(version);
    }
}
