package dev.stratus.server.config;

import dev.stratus.broker.policy.TopicPolicies;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.server.policy.AlterConfigPolicy;
import org.apache.kafka.server.policy.CreateTopicPolicy;

/**
 * Loads the operator's topic policy plugins named by {@code create.topic.policy.class.name} and
 * {@code alter.config.policy.class.name}, as Kafka does: a public no-argument constructor, then
 * {@code configure} with every server property. A class that cannot be loaded stops startup
 * with a message naming the key. Called once at startup, on the starting thread.
 */
public final class TopicPolicyPlugins {

    private TopicPolicyPlugins() {
    }

    public static TopicPolicies load(ServerConfig config) {
        CreateTopicPolicy create = instantiate(ServerConfig.CREATE_TOPIC_POLICY_CLASS_NAME.name(),
                config.get(ServerConfig.CREATE_TOPIC_POLICY_CLASS_NAME), CreateTopicPolicy.class, config.originals());
        AlterConfigPolicy alter;
        try {
            alter = instantiate(ServerConfig.ALTER_CONFIG_POLICY_CLASS_NAME.name(),
                    config.get(ServerConfig.ALTER_CONFIG_POLICY_CLASS_NAME), AlterConfigPolicy.class, config.originals());
        } catch (ConfigException e) {
            new TopicPolicies(create, null).close();
            throw e;
        }
        return new TopicPolicies(create, alter);
    }

    private static <T extends Configurable> T instantiate(String key, String className, Class<T> type,
                                                          Map<String, String> originals) {
        if (className == null || className.isBlank()) {
            return null;
        }
        String name = className.trim();
        T plugin;
        try {
            Class<?> loaded = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
            if (!type.isAssignableFrom(loaded)) {
                throw new ConfigException("Invalid value '" + name + "' for configuration " + key + ": the class does not implement "
                        + type.getName());
            }
            plugin = type.cast(loaded.getDeclaredConstructor().newInstance());
        } catch (ClassNotFoundException e) {
            throw new ConfigException("Invalid value '" + name + "' for configuration " + key
                    + ": class not found; put its jar on the server's class path (STRATUS_OPTS or server/target/lib)");
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new ConfigException("Invalid value '" + name + "' for configuration " + key
                    + ": cannot create it with a public no-argument constructor: " + e);
        }
        plugin.configure(Map.copyOf(originals));
        return plugin;
    }
}
