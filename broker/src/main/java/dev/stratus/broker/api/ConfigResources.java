package dev.stratus.broker.api;

import dev.stratus.broker.config.BrokerLogDefaults;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.metadata.TopicNames;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;

/**
 * The checks every config API makes on a resource, with Kafka's errors: a topic must have a legal
 * name (INVALID_TOPIC_EXCEPTION) and exist (UNKNOWN_TOPIC_OR_PARTITION); a broker must be named
 * by this node's id or the empty string (cluster default), else INVALID_REQUEST; other resource
 * types (broker loggers, groups, client metrics) are not supported here (INVALID_REQUEST).
 * Stateless.
 */
final class ConfigResources {

    /** An error for one resource, or {@link #OK}. */
    record Check(Errors error, String message) {
        boolean ok() {
            return error == Errors.NONE;
        }
    }

    static final Check OK = new Check(Errors.NONE, null);

    private ConfigResources() {
    }

    static ConfigResource.Type type(byte id) {
        return ConfigResource.Type.forId(id);
    }

    static Check check(byte resourceType, String name, PartitionRegistry registry, int nodeId) {
        ConfigResource.Type type = type(resourceType);
        if (type == ConfigResource.Type.TOPIC) {
            String invalid = TopicNames.invalidReason(name);
            if (invalid != null) {
                return new Check(Errors.INVALID_TOPIC_EXCEPTION, invalid);
            }
            if (registry.image().topic(name) == null) {
                return new Check(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + name + " does not exist.");
            }
            return OK;
        }
        if (type == ConfigResource.Type.BROKER) {
            if (!name.isEmpty() && !name.equals(String.valueOf(nodeId))) {
                return new Check(Errors.INVALID_REQUEST, "Unexpected broker id, expected " + nodeId
                        + " or empty string, but received " + name);
            }
            return OK;
        }
        return new Check(Errors.INVALID_REQUEST, "Resource type " + type + " is not supported by this broker's config APIs");
    }

    static byte source(BrokerLogDefaults.Source source) {
        DescribeConfigsResponse.ConfigSource kafka = switch (source) {
            case TOPIC -> DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG;
            case STATIC_BROKER -> DescribeConfigsResponse.ConfigSource.STATIC_BROKER_CONFIG;
            case DEFAULT -> DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG;
        };
        return kafka.id();
    }
}
