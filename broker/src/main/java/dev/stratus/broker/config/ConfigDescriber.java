package dev.stratus.broker.config;

import dev.stratus.broker.BrokerConfig;
import dev.stratus.metadata.config.ConfigType;
import dev.stratus.metadata.config.TopicConfigKey;
import dev.stratus.metadata.config.TopicConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds DescribeConfigs answers. A topic lists every topic config: its override
 * (DYNAMIC_TOPIC_CONFIG), else the broker synonym set in the properties (STATIC_BROKER_CONFIG),
 * else Kafka's default (DEFAULT_CONFIG, named after the broker synonym as Kafka does); synonyms
 * list all three levels that apply. The broker lists the broker-level defaults of topic configs
 * and its main settings, all read-only: Stratus changes no broker config at runtime. Stateless.
 */
public final class ConfigDescriber {

    private ConfigDescriber() {
    }

    public static List<DescribedConfig> topic(Map<String, String> overrides, BrokerLogDefaults defaults) {
        List<DescribedConfig> result = new ArrayList<>();
        for (TopicConfigKey key : TopicConfigs.all()) {
            BrokerLogDefaults.Resolved effective = defaults.resolve(key, overrides);
            List<DescribedConfig.Synonym> synonyms = new ArrayList<>();
            String override = overrides.get(key.name());
            if (override != null) {
                synonyms.add(new DescribedConfig.Synonym(key.name(), override, BrokerLogDefaults.Source.TOPIC));
            }
            for (String synonym : key.brokerSynonyms()) {
                String configured = defaults.configured().get(synonym);
                if (configured != null) {
                    synonyms.add(new DescribedConfig.Synonym(synonym, configured, BrokerLogDefaults.Source.STATIC_BROKER));
                }
            }
            if (key.brokerSynonym() != null) {
                synonyms.add(new DescribedConfig.Synonym(key.brokerSynonym(), key.defaultValue(), BrokerLogDefaults.Source.DEFAULT));
            }
            result.add(new DescribedConfig(key.name(), effective.value(), effective.source(), false, key.type(),
                    key.documentation(), synonyms));
        }
        return result;
    }

    public static List<DescribedConfig> broker(BrokerConfig config) {
        BrokerLogDefaults defaults = config.effectiveLogDefaults();
        List<DescribedConfig> result = new ArrayList<>();
        add(result, "node.id", String.valueOf(config.nodeId()), null, ConfigType.INT, "This node's id.");
        add(result, "broker.id", String.valueOf(config.nodeId()), null, ConfigType.INT, "Same as node.id.");
        add(result, "num.partitions", String.valueOf(config.numPartitions()), "1", ConfigType.INT,
                "Partitions of auto-created topics and of CreateTopics without a count.");
        add(result, "auto.create.topics.enable", String.valueOf(config.autoCreateTopics()), "true", ConfigType.BOOLEAN,
                "Create a topic when a client asks for its metadata or produces to it.");
        add(result, "socket.request.max.bytes", String.valueOf(config.socketRequestMaxBytes()),
                String.valueOf(BrokerConfig.DEFAULT_SOCKET_REQUEST_MAX_BYTES), ConfigType.INT, "Largest request frame.");
        add(result, "fetch.max.bytes", String.valueOf(config.fetchMaxBytes()),
                String.valueOf(BrokerConfig.DEFAULT_FETCH_MAX_BYTES), ConfigType.INT, "Cap on one Fetch response.");
        add(result, "num.network.threads", String.valueOf(config.numNetworkThreads()), "3", ConfigType.INT,
                "Network event loops.");
        add(result, "num.io.threads", String.valueOf(config.numIoThreads()), null, ConfigType.INT, "Partition agents.");
        add(result, "log.retention.check.interval.ms", String.valueOf(config.retentionCheckIntervalMs()),
                String.valueOf(BrokerConfig.DEFAULT_RETENTION_CHECK_INTERVAL_MS), ConfigType.LONG,
                "How often retention trims partitions.");
        add(result, "log.dirs", config.logDir(), null, ConfigType.STRING, "The log directory DescribeLogDirs reports.");
        for (TopicConfigKey key : TopicConfigs.all()) {
            if (key.brokerSynonym() == null) {
                continue;
            }
            BrokerLogDefaults.Resolved resolved = defaults.defaultOf(key);
            String name = key.brokerSynonym();
            String value = resolved.source() == BrokerLogDefaults.Source.STATIC_BROKER && !resolved.name().equals(name)
                    ? resolved.value() : defaults.configured().getOrDefault(name, key.defaultValue());
            if (result.stream().noneMatch(c -> c.name().equals(name))) {
                result.add(new DescribedConfig(name, value, resolved.source(), true, key.type(),
                        "Default of topic config " + key.name() + ". " + key.documentation(),
                        List.of(new DescribedConfig.Synonym(name, value, resolved.source()))));
            }
        }
        return result;
    }

    private static void add(List<DescribedConfig> result, String name, String value, String kafkaDefault, ConfigType type,
                            String doc) {
        BrokerLogDefaults.Source source = value.equals(kafkaDefault) ? BrokerLogDefaults.Source.DEFAULT
                : BrokerLogDefaults.Source.STATIC_BROKER;
        result.add(new DescribedConfig(name, value, source, true, type, doc,
                List.of(new DescribedConfig.Synonym(name, value, source))));
    }
}
