package dev.stratus.metadata.config;

import static dev.stratus.metadata.config.ValueRule.bool;
import static dev.stratus.metadata.config.ValueRule.doubleIn;
import static dev.stratus.metadata.config.ValueRule.intIn;
import static dev.stratus.metadata.config.ValueRule.listOf;
import static dev.stratus.metadata.config.ValueRule.longIn;
import static dev.stratus.metadata.config.ValueRule.oneOf;

import dev.stratus.metadata.MetadataErrorCode;
import dev.stratus.metadata.MetadataException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The topic configs Stratus accepts: Kafka 4.x's topic-level names, types, defaults and broker
 * synonyms, so that Admin clients, {@code kafka-configs.sh} and {@code kafka-topics.sh --config}
 * work unchanged. Which ones take effect is said in each key's documentation and in
 * {@code docs/compatibility.md}; the others are stored and reported, never silently refused.
 *
 * <p>An unknown name or a bad value is INVALID_CONFIG with Kafka's message. Immutable; any thread.
 */
public final class TopicConfigs {

    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "message.timestamp.before.max.ms";
    public static final String MESSAGE_TIMESTAMP_AFTER_MAX_MS = "message.timestamp.after.max.ms";
    public static final String SEGMENT_BYTES = "segment.bytes";

    private static final String IGNORED = " Accepted and reported; no effect in Stratus.";
    private static final long MAX = Long.MAX_VALUE;

    private static final Map<String, TopicConfigKey> KEYS;

    static {
        List<TopicConfigKey> keys = new ArrayList<>();
        keys.add(key(CLEANUP_POLICY, ConfigType.LIST, "delete", List.of("log.cleanup.policy"), listOf("compact", "delete"),
                "delete or compact old data. 'delete' is enforced by retention; 'compact' is stored, but records are not "
                        + "compacted by key yet."));
        keys.add(key("compression.type", ConfigType.STRING, "producer", List.of("compression.type"),
                oneOf("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
                "Final compression of the topic's data." + " Stratus keeps batches as the producer compressed them."));
        keys.add(key("compression.gzip.level", ConfigType.INT, "-1", List.of("compression.gzip.level"), intIn(-1, 9),
                "gzip level." + IGNORED));
        keys.add(key("compression.lz4.level", ConfigType.INT, "9", List.of("compression.lz4.level"), intIn(1, 17),
                "lz4 level." + IGNORED));
        keys.add(key("compression.zstd.level", ConfigType.INT, "3", List.of("compression.zstd.level"), intIn(-131072, 22),
                "zstd level." + IGNORED));
        keys.add(key("delete.retention.ms", ConfigType.LONG, "86400000", List.of("log.cleaner.delete.retention.ms"),
                longIn(0, MAX), "How long tombstones are kept for compacted topics." + IGNORED));
        keys.add(key("file.delete.delay.ms", ConfigType.LONG, "60000", List.of("log.segment.delete.delay.ms"),
                longIn(0, MAX), "Delay before deleting a file." + IGNORED));
        keys.add(key("flush.messages", ConfigType.LONG, String.valueOf(MAX), List.of("log.flush.interval.messages"),
                longIn(1, MAX), "Records between forced flushes. Stratus acknowledges only durable writes." + IGNORED));
        keys.add(key("flush.ms", ConfigType.LONG, String.valueOf(MAX), List.of("log.flush.interval.ms"),
                longIn(0, MAX), "Time between forced flushes. Stratus acknowledges only durable writes." + IGNORED));
        keys.add(key("follower.replication.throttled.replicas", ConfigType.LIST, "", List.of(),
                ValueRule.any(), "Replicas to throttle on followers. Storage replicates in Stratus." + IGNORED));
        keys.add(key("index.interval.bytes", ConfigType.INT, "4096", List.of("log.index.interval.bytes"),
                intIn(0, Integer.MAX_VALUE), "Offset index density." + IGNORED));
        keys.add(key("leader.replication.throttled.replicas", ConfigType.LIST, "", List.of(),
                ValueRule.any(), "Replicas to throttle on the leader. Storage replicates in Stratus." + IGNORED));
        keys.add(key("local.retention.bytes", ConfigType.LONG, "-2", List.of("log.local.retention.bytes"),
                longIn(-2, MAX), "Local tier retention by size. Stratus has no separate local tier." + IGNORED));
        keys.add(key("local.retention.ms", ConfigType.LONG, "-2", List.of("log.local.retention.ms"),
                longIn(-2, MAX), "Local tier retention by time. Stratus has no separate local tier." + IGNORED));
        keys.add(key("max.compaction.lag.ms", ConfigType.LONG, String.valueOf(MAX), List.of("log.cleaner.max.compaction.lag.ms"),
                longIn(1, MAX), "Longest time a record stays uncompacted." + IGNORED));
        keys.add(key(MAX_MESSAGE_BYTES, ConfigType.INT, "1048588", List.of("message.max.bytes"), intIn(0, Integer.MAX_VALUE),
                "Largest record batch accepted (MESSAGE_TOO_LARGE above it); bounded by the broker's message.max.bytes, "
                        + "which sizes storage records."));
        keys.add(key(MESSAGE_TIMESTAMP_AFTER_MAX_MS, ConfigType.LONG, "3600000",
                List.of("log.message.timestamp.after.max.ms"), longIn(0, MAX),
                "How far in the future a CreateTime timestamp may be (INVALID_TIMESTAMP beyond)."));
        keys.add(key(MESSAGE_TIMESTAMP_BEFORE_MAX_MS, ConfigType.LONG, String.valueOf(MAX),
                List.of("log.message.timestamp.before.max.ms"), longIn(0, MAX),
                "How far in the past a CreateTime timestamp may be (INVALID_TIMESTAMP beyond)."));
        keys.add(key(MESSAGE_TIMESTAMP_TYPE, ConfigType.STRING, "CreateTime", List.of("log.message.timestamp.type"),
                oneOf("CreateTime", "LogAppendTime"), "CreateTime keeps the producer's timestamps; LogAppendTime stamps "
                        + "each batch with the broker's time when appended."));
        keys.add(key("min.cleanable.dirty.ratio", ConfigType.DOUBLE, "0.5", List.of("log.cleaner.min.cleanable.ratio"),
                doubleIn(0, 1), "When the log compactor runs." + IGNORED));
        keys.add(key("min.compaction.lag.ms", ConfigType.LONG, "0", List.of("log.cleaner.min.compaction.lag.ms"),
                longIn(0, MAX), "Shortest time a record stays uncompacted." + IGNORED));
        keys.add(key("min.insync.replicas", ConfigType.INT, "1", List.of("min.insync.replicas"), intIn(1, Integer.MAX_VALUE),
                "Replicas that must acknowledge acks=all. Storage replicates in Stratus." + IGNORED));
        keys.add(key("preallocate", ConfigType.BOOLEAN, "false", List.of("log.preallocate"), bool(),
                "Preallocate segment files." + IGNORED));
        keys.add(key("remote.storage.enable", ConfigType.BOOLEAN, "false", List.of(), bool(),
                "Tiered storage. All Stratus data is in object storage already." + IGNORED));
        keys.add(key("remote.log.copy.disable", ConfigType.BOOLEAN, "false", List.of(), bool(),
                "Stop copying to the remote tier." + IGNORED));
        keys.add(key("remote.log.delete.on.disable", ConfigType.BOOLEAN, "false", List.of(), bool(),
                "Delete remote data when tiering is disabled." + IGNORED));
        keys.add(key(RETENTION_BYTES, ConfigType.LONG, "-1", List.of("log.retention.bytes"), longIn(-1, MAX),
                "Largest size of a partition before its oldest data is deleted (-1: no limit). Enforced."));
        keys.add(key(RETENTION_MS, ConfigType.LONG, "604800000",
                List.of("log.retention.ms", "log.retention.minutes", "log.retention.hours"), longIn(-1, MAX),
                "How long data is kept before it is deleted (-1: forever). Enforced."));
        keys.add(key(SEGMENT_BYTES, ConfigType.INT, "1073741824", List.of("log.segment.bytes"),
                intIn(1024 * 1024, Integer.MAX_VALUE),
                "Segment size. Stratus has no segments; a produce larger than this is refused (RECORD_LIST_TOO_LARGE)."));
        keys.add(key("segment.index.bytes", ConfigType.INT, "10485760", List.of("log.index.size.max.bytes"),
                intIn(4, Integer.MAX_VALUE), "Offset index size." + IGNORED));
        keys.add(key("segment.jitter.ms", ConfigType.LONG, "0", List.of("log.roll.jitter.ms", "log.roll.jitter.hours"),
                longIn(0, MAX), "Segment roll jitter." + IGNORED));
        keys.add(key("segment.ms", ConfigType.LONG, "604800000", List.of("log.roll.ms", "log.roll.hours"),
                longIn(1, MAX), "Segment roll time." + IGNORED));
        keys.add(key("unclean.leader.election.enable", ConfigType.BOOLEAN, "false",
                List.of("unclean.leader.election.enable"), bool(),
                "Allow out-of-sync leaders. Stratus has no replicas to be out of sync." + IGNORED));
        Map<String, TopicConfigKey> byName = new TreeMap<>();
        keys.forEach(k -> byName.put(k.name(), k));
        KEYS = Collections.unmodifiableMap(byName);
    }

    private TopicConfigs() {
    }

    private static TopicConfigKey key(String name, ConfigType type, String defaultValue, List<String> synonyms,
                                      ValueRule rule, String doc) {
        return new TopicConfigKey(name, type, defaultValue, synonyms, rule, doc);
    }

    /** Every key, by name. */
    public static Collection<TopicConfigKey> all() {
        return KEYS.values();
    }

    /** The key named {@code name}, or null when Kafka has no such topic config. */
    public static TopicConfigKey key(String name) {
        return KEYS.get(name);
    }

    /** Null when every entry is a known name with a good value, otherwise the first problem. */
    public static String problem(Map<String, String> configs) {
        for (Map.Entry<String, String> entry : configs.entrySet()) {
            TopicConfigKey key = KEYS.get(entry.getKey());
            if (key == null) {
                return "Unknown topic config name: " + entry.getKey();
            }
            String problem = key.check(entry.getValue());
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** Throws INVALID_CONFIG unless every entry is a known name with a good value. */
    public static void validate(Map<String, String> configs) {
        String problem = problem(configs);
        if (problem != null) {
            throw new MetadataException(MetadataErrorCode.INVALID_CONFIG, problem);
        }
    }
}
