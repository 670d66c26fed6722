package dev.stratus.broker.config;

import dev.stratus.metadata.config.ConfigType;
import java.util.List;

/**
 * One config as DescribeConfigs reports it: value, where it comes from, whether it can be
 * changed at runtime, its type and documentation, and its synonyms in order of precedence
 * (the entry's own source first).
 */
public record DescribedConfig(String name, String value, BrokerLogDefaults.Source source, boolean readOnly,
                              ConfigType type, String documentation, List<Synonym> synonyms) {

    /** A config that supplies (or would supply) the value. */
    public record Synonym(String name, String value, BrokerLogDefaults.Source source) {
    }

    public DescribedConfig {
        synonyms = List.copyOf(synonyms);
    }
}
