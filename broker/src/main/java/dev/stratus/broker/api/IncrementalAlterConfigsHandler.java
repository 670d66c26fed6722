package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.broker.policy.TopicPolicies;
import dev.stratus.metadata.TopicController;
import dev.stratus.metadata.config.ConfigOp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;

/**
 * IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT applied in order to a topic's
 * overrides by the controller, validated as a whole; {@code validateOnly} checks without writing.
 * A key named twice for one resource, or an unknown operation, is INVALID_REQUEST. See
 * {@link ConfigAlterations} for the other errors.
 *
 * <p>Stateless; runs on event loops, continues on the controller's thread.
 */
public final class IncrementalAlterConfigsHandler implements RequestHandler {

    private final int nodeId;
    private final TopicController controller;
    private final PartitionRegistry registry;
    private final TopicPolicies policies;

    public IncrementalAlterConfigsHandler(int nodeId, TopicController controller, PartitionRegistry registry, TopicPolicies policies) {
        this.nodeId = nodeId;
        this.controller = controller;
        this.registry = registry;
        this.policies = policies;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        IncrementalAlterConfigsRequestData request = ((IncrementalAlterConfigsRequest) context.request()).data();
        short version = context.apiVersion();
        List<CompletableFuture<IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse>> results = new ArrayList<>();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            CompletableFuture<ConfigAlterations.Outcome> outcome;
            List<ConfigOp> ops = new ArrayList<>();
            String problem = ops(resource, ops);
            if (problem != null) {
                outcome = CompletableFuture.completedFuture(new ConfigAlterations.Outcome(Errors.INVALID_REQUEST, problem));
            } else {
                outcome = ConfigAlterations.alter(resource.resourceType(), resource.resourceName(), ops, false,
                        request.validateOnly(), controller, registry, nodeId, policies);
            }
            results.add(outcome.thenApply(o -> new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName())
                    .setErrorCode(o.error().code())
                    .setErrorMessage(o.message())));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData().setThrottleTimeMs(0);
            results.forEach(r -> response.responses().add(r.join()));
            return Reply.respond(ApiKeys.INCREMENTAL_ALTER_CONFIGS, version, response);
        });
    }

    /** Fills {@code ops}; returns why the resource's request is malformed, or null. */
    private static String ops(IncrementalAlterConfigsRequestData.AlterConfigsResource resource, List<ConfigOp> ops) {
        Set<String> seen = new HashSet<>();
        for (IncrementalAlterConfigsRequestData.AlterableConfig config : resource.configs()) {
            if (!seen.add(config.name())) {
                return "Error due to duplicate config keys";
            }
            ConfigOp.Type type = ConfigOp.Type.fromId(config.configOperation());
            if (type == null) {
                return "Unknown config operation " + config.configOperation() + " for " + config.name();
            }
            ops.add(new ConfigOp(type, config.name(), config.value()));
        }
        return null;
    }
}
