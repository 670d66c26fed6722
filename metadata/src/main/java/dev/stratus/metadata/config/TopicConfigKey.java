package dev.stratus.metadata.config;

import java.util.List;
import java.util.Objects;

/**
 * One topic config Kafka clients and tools know: its name, type, Kafka's default, the broker
 * configs that set the default for every topic (most specific first, e.g. {@code log.retention.ms}
 * before {@code log.retention.hours}), how a value is checked, and what Stratus does with it.
 *
 * @param name           the topic-level name ({@code retention.ms})
 * @param type           the value type DescribeConfigs reports
 * @param defaultValue   Kafka 4.x's default, used when neither the topic nor the broker sets one
 * @param brokerSynonyms broker configs that supply the default, most specific first; may be empty
 * @param rule           checks a value
 * @param documentation  Kafka's meaning in one sentence, plus what Stratus does with it
 */
public record TopicConfigKey(String name, ConfigType type, String defaultValue, List<String> brokerSynonyms,
                             ValueRule rule, String documentation) {

    public TopicConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(rule, "rule");
        brokerSynonyms = List.copyOf(brokerSynonyms);
    }

    /** The broker config that is the usual default source (the most specific synonym), or null. */
    public String brokerSynonym() {
        return brokerSynonyms.isEmpty() ? null : brokerSynonyms.get(0);
    }

    /** Null when {@code value} is acceptable, otherwise why not (Kafka's wording). */
    public String check(String value) {
        if (value == null) {
            return "Null value not supported for topic configs: " + name;
        }
        String problem = rule.problem(value.trim());
        return problem == null ? null : "Invalid value " + value + " for configuration " + name + ": " + problem;
    }
}
