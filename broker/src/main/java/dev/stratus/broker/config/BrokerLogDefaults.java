package dev.stratus.broker.config;

import dev.stratus.metadata.config.TopicConfigKey;
import dev.stratus.metadata.config.TopicConfigs;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The broker-level configs that give topics their defaults ({@code log.retention.ms},
 * {@code message.max.bytes}, ...), as set in the server's properties. A topic config's default
 * is its most specific broker synonym that is set ({@code log.retention.ms}, then
 * {@code log.retention.minutes}, then {@code log.retention.hours}, converted to the topic's unit),
 * else Kafka's default. Immutable; any thread.
 *
 * @param configured broker config name to value, only those set explicitly
 */
public record BrokerLogDefaults(Map<String, String> configured) {

    /** Where a topic's effective value comes from, as DescribeConfigs reports it. */
    public enum Source { TOPIC, STATIC_BROKER, DEFAULT }

    /** One effective value and the config that supplied it. */
    public record Resolved(String name, String value, Source source) {
    }

    public BrokerLogDefaults {
        configured = Map.copyOf(configured);
    }

    public static BrokerLogDefaults none() {
        return new BrokerLogDefaults(Map.of());
    }

    /** Keeps, from a server's properties, only the broker synonyms of topic configs. */
    public static BrokerLogDefaults of(Map<String, String> properties) {
        Map<String, String> kept = new TreeMap<>();
        for (TopicConfigKey key : TopicConfigs.all()) {
            for (String synonym : key.brokerSynonyms()) {
                String value = properties.get(synonym);
                if (value != null) {
                    kept.put(synonym, value);
                }
            }
        }
        return new BrokerLogDefaults(kept);
    }

    /** These defaults plus {@code name=value}. */
    public BrokerLogDefaults with(String name, String value) {
        Map<String, String> next = new LinkedHashMap<>(configured);
        next.put(name, value);
        return new BrokerLogDefaults(next);
    }

    /** The default of a topic config: the first synonym set on the broker, else Kafka's default. */
    public Resolved defaultOf(TopicConfigKey key) {
        for (String synonym : key.brokerSynonyms()) {
            String value = configured.get(synonym);
            if (value != null) {
                return new Resolved(synonym, inTopicUnit(synonym, value), Source.STATIC_BROKER);
            }
        }
        String name = key.brokerSynonym() != null ? key.brokerSynonym() : key.name();
        return new Resolved(name, key.defaultValue(), Source.DEFAULT);
    }

    /** The effective value of {@code key} for a topic with {@code overrides}. */
    public Resolved resolve(TopicConfigKey key, Map<String, String> overrides) {
        String override = overrides.get(key.name());
        return override != null ? new Resolved(key.name(), override, Source.TOPIC) : defaultOf(key);
    }

    /** Kafka's hour and minute synonyms ({@code log.retention.hours}) become milliseconds. */
    private static String inTopicUnit(String synonym, String value) {
        long factor = synonym.endsWith(".hours") ? 3_600_000L : synonym.endsWith(".minutes") ? 60_000L : 1L;
        if (factor == 1L) {
            return value;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            return String.valueOf(parsed < 0 ? -1 : parsed * factor);
        } catch (NumberFormatException e) {
            return value;
        }
    }
}
