package dev.stratus.broker.policy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.server.policy.AlterConfigPolicy;
import org.apache.kafka.server.policy.CreateTopicPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's topic policies, Kafka's plugin interfaces ({@code create.topic.policy.class.name},
 * {@code alter.config.policy.class.name}): asked before a topic is created (validateOnly
 * included) and before a topic's configs change. A refusal is returned as the policy's message,
 * which the handlers answer with POLICY_VIOLATION; nothing is changed.
 *
 * <p>Given to the broker already configured; whoever created it closes it. Policies
 * are called from event loops and the controller's thread at once, as Kafka calls them from
 * its request threads: they must be thread-safe, as Kafka requires.
 */
public final class TopicPolicies implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicPolicies.class);
    private static final TopicPolicies NONE = new TopicPolicies(null, null);

    private final CreateTopicPolicy createTopicPolicy;
    private final AlterConfigPolicy alterConfigPolicy;

    /** @param createTopicPolicy null for none; @param alterConfigPolicy null for none */
    public TopicPolicies(CreateTopicPolicy createTopicPolicy, AlterConfigPolicy alterConfigPolicy) {
        this.createTopicPolicy = createTopicPolicy;
        this.alterConfigPolicy = alterConfigPolicy;
    }

    /** No policy: everything valid is allowed. */
    public static TopicPolicies none() {
        return NONE;
    }

    /**
     * Why the create-topic policy refuses this topic, or null when it allows it (or there is none).
     *
     * @param numPartitions     the partition count, null when given by {@code assignments}
     * @param replicationFactor the replication factor, null when given by {@code assignments}
     * @param assignments       replicas per partition when assigned by hand, else null
     */
    public String createTopicViolation(String topic, Integer numPartitions, Short replicationFactor,
                                       Map<Integer, List<Integer>> assignments, Map<String, String> configs) {
        if (createTopicPolicy == null) {
            return null;
        }
        try {
            createTopicPolicy.validate(new CreateTopicPolicy.RequestMetadata(topic, numPartitions, replicationFactor,
                    assignments, Map.copyOf(configs)));
            return null;
        } catch (PolicyViolationException refused) {
            return refused.getMessage();
        }
    }

    /** Why the alter-config policy refuses these configs for the topic (its overrides after the change), or null. */
    public String alterTopicConfigViolation(String topic, Map<String, String> configs) {
        if (alterConfigPolicy == null) {
            return null;
        }
        try {
            alterConfigPolicy.validate(new AlterConfigPolicy.RequestMetadata(
                    new ConfigResource(ConfigResource.Type.TOPIC, topic), Map.copyOf(configs)));
            return null;
        } catch (PolicyViolationException refused) {
            return refused.getMessage();
        }
    }

    /** Closes the policies (their owner calls this once the broker has stopped); never throws. */
    @Override
    public void close() {
        closeQuietly(createTopicPolicy);
        closeQuietly(alterConfigPolicy);
    }

    private static void closeQuietly(AutoCloseable policy) {
        if (policy == null) {
            return;
        }
        try {
            policy.close();
        } catch (Exception e) {
            LOG.warn("Closing topic policy {} failed", policy.getClass().getName(), e);
        }
    }
}
