package dev.stratus.broker.config;

import dev.stratus.metadata.config.TopicConfigs;
import java.util.Arrays;
import java.util.Map;

/**
 * The topic configs a partition acts on, resolved from the topic's overrides and the broker
 * defaults. Values were validated by the controller; a value that still fails to parse falls
 * back to Kafka's default. Immutable; any thread.
 *
 * @param deleteRetention      {@code cleanup.policy} contains {@code delete}: retention applies
 * @param retentionMs          {@code retention.ms}, -1 for forever
 * @param retentionBytes       {@code retention.bytes}, -1 for no limit
 * @param maxMessageBytes      {@code max.message.bytes}
 * @param logAppendTime        {@code message.timestamp.type=LogAppendTime}
 * @param timestampBeforeMaxMs {@code message.timestamp.before.max.ms}
 * @param timestampAfterMaxMs  {@code message.timestamp.after.max.ms}
 * @param segmentBytes         {@code segment.bytes}: the largest produce a partition takes at once
 */
public record LogConfig(boolean deleteRetention, long retentionMs, long retentionBytes, int maxMessageBytes,
                        boolean logAppendTime, long timestampBeforeMaxMs, long timestampAfterMaxMs, int segmentBytes) {

    /** Kafka's defaults with nothing set anywhere. */
    public static final LogConfig DEFAULT = resolve(Map.of(), BrokerLogDefaults.none());

    public static LogConfig resolve(Map<String, String> overrides, BrokerLogDefaults defaults) {
        String policy = value(TopicConfigs.CLEANUP_POLICY, overrides, defaults);
        return new LogConfig(
                Arrays.stream(policy.split(",")).map(String::trim).anyMatch("delete"::equals),
                asLong(TopicConfigs.RETENTION_MS, overrides, defaults),
                asLong(TopicConfigs.RETENTION_BYTES, overrides, defaults),
                (int) asLong(TopicConfigs.MAX_MESSAGE_BYTES, overrides, defaults),
                "LogAppendTime".equals(value(TopicConfigs.MESSAGE_TIMESTAMP_TYPE, overrides, defaults)),
                asLong(TopicConfigs.MESSAGE_TIMESTAMP_BEFORE_MAX_MS, overrides, defaults),
                asLong(TopicConfigs.MESSAGE_TIMESTAMP_AFTER_MAX_MS, overrides, defaults),
                (int) asLong(TopicConfigs.SEGMENT_BYTES, overrides, defaults));
    }

    private static String value(String name, Map<String, String> overrides, BrokerLogDefaults defaults) {
        return defaults.resolve(TopicConfigs.key(name), overrides).value().trim();
    }

    private static long asLong(String name, Map<String, String> overrides, BrokerLogDefaults defaults) {
        try {
            return Long.parseLong(value(name, overrides, defaults));
        } catch (NumberFormatException e) {
            return Long.parseLong(TopicConfigs.key(name).defaultValue());
        }
    }
}
