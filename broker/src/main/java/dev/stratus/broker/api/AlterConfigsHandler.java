package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.broker.policy.TopicPolicies;
import dev.stratus.metadata.TopicController;
import dev.stratus.metadata.config.ConfigOp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AlterConfigsRequest;

/**
 * AlterConfigs (legacy): the configs given replace all of a topic's overrides; {@code validateOnly}
 * checks without writing. See {@link ConfigAlterations} for errors.
 *
 * <p>Stateless; runs on event loops, continues on the controller's thread.
 */
public final class AlterConfigsHandler implements RequestHandler {

    private final int nodeId;
    private final TopicController controller;
    private final PartitionRegistry registry;
    private final TopicPolicies policies;

    public AlterConfigsHandler(int nodeId, TopicController controller, PartitionRegistry registry, TopicPolicies policies) {
        this.nodeId = nodeId;
        this.controller = controller;
        this.registry = registry;
        this.policies = policies;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        AlterConfigsRequestData request = ((AlterConfigsRequest) context.request()).data();
        short version = context.apiVersion();
        List<CompletableFuture<AlterConfigsResponseData.AlterConfigsResourceResponse>> results = new ArrayList<>();
        for (AlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            List<ConfigOp> ops = new ArrayList<>();
            resource.configs().forEach(c -> ops.add(ConfigOp.set(c.name(), c.value())));
            results.add(ConfigAlterations.alter(resource.resourceType(), resource.resourceName(), ops, true,
                    request.validateOnly(), controller, registry, nodeId, policies).thenApply(outcome ->
                    new AlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(resource.resourceType())
                            .setResourceName(resource.resourceName())
                            .setErrorCode(outcome.error().code())
                            .setErrorMessage(outcome.message())));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            AlterConfigsResponseData response = new AlterConfigsResponseData().setThrottleTimeMs(0);
            results.forEach(r -> response.responses().add(r.join()));
            return Reply.respond(ApiKeys.ALTER_CONFIGS, version, response);
        });
    }
}
