package dev.stratus.broker.api;

import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.broker.policy.TopicPolicies;
import dev.stratus.metadata.TopicController;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.config.ConfigOp;
import dev.stratus.metadata.config.TopicConfigs;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;

/**
 * What AlterConfigs and IncrementalAlterConfigs share: a topic's change goes to the controller
 * (validated there as a whole: INVALID_CONFIG, state unchanged); a broker's change is refused
 * with INVALID_CONFIG naming the keys, since Stratus changes no broker config at runtime (an
 * empty change succeeds). A valid topic change the operator's alter-config policy refuses is
 * POLICY_VIOLATION, state unchanged. Stateless.
 */
final class ConfigAlterations {

    /** The outcome for one resource. */
    record Outcome(Errors error, String message) {
        static final Outcome NONE = new Outcome(Errors.NONE, null);
    }

    private ConfigAlterations() {
    }

    static CompletableFuture<Outcome> alter(byte resourceType, String name, List<ConfigOp> ops, boolean replaceAll,
                                            boolean validateOnly, TopicController controller, PartitionRegistry registry,
                                            int nodeId, TopicPolicies policies) {
        ConfigResources.Check check = ConfigResources.check(resourceType, name, registry, nodeId);
        if (!check.ok()) {
            return CompletableFuture.completedFuture(new Outcome(check.error(), check.message()));
        }
        if (ConfigResources.type(resourceType) == ConfigResource.Type.BROKER) {
            if (ops.isEmpty()) {
                return CompletableFuture.completedFuture(Outcome.NONE);
            }
            return CompletableFuture.completedFuture(new Outcome(Errors.INVALID_CONFIG, "Cannot update these configs dynamically: "
                    + ops.stream().map(ConfigOp::name).distinct().sorted().toList()));
        }
        String refused = policyViolation(name, ops, replaceAll, registry, policies);
        if (refused != null) {
            return CompletableFuture.completedFuture(new Outcome(Errors.POLICY_VIOLATION, refused));
        }
        return controller.alterTopicConfigs(name, ops, replaceAll, validateOnly).handle((topic, failure) -> failure == null
                ? Outcome.NONE
                : new Outcome(MetadataErrors.toKafka(failure), MetadataErrors.message(failure)));
    }

    /**
     * The alter-config policy's refusal of the topic's overrides after {@code ops}, or null. A change
     * that is itself invalid is left to the controller, which answers INVALID_CONFIG as Kafka does
     * before any policy is asked.
     */
    private static String policyViolation(String topic, List<ConfigOp> ops, boolean replaceAll, PartitionRegistry registry,
                                          TopicPolicies policies) {
        TopicMetadata current = registry.image().topic(topic);
        if (current == null) {
            return null;
        }
        Map<String, String> altered;
        try {
            altered = ConfigOp.applyAll(replaceAll ? Map.of() : current.configs(), ops);
        } catch (RuntimeException invalid) {
            return null;
        }
        if (TopicConfigs.problem(altered) != null) {
            return null;
        }
        return policies.alterTopicConfigViolation(topic, altered);
    }
}
