package dev.stratus.broker.api;

import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.metadata.TopicController;
import dev.stratus.metadata.config.ConfigOp;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;

/**
 * What AlterConfigs and IncrementalAlterConfigs share: a topic's change goes to the controller
 * (validated there as a whole: INVALID_CONFIG, state unchanged); a broker's change is refused
 * with INVALID_CONFIG naming the keys, since Stratus changes no broker config at runtime (an
 * empty change succeeds). Stateless.
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
                                            int nodeId) {
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
        return controller.alterTopicConfigs(name, ops, replaceAll, validateOnly).handle((topic, failure) -> failure == null
                ? Outcome.NONE
                : new Outcome(MetadataErrors.toKafka(failure), MetadataErrors.message(failure)));
    }
}
