package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.metadata.TopicController;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.broker.partition.PartitionRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreatePartitionsRequest;

/**
 * CreatePartitions: grows a topic to the requested count; each new partition gets a new stream
 * led by this node. A count not above today's is INVALID_PARTITIONS, a missing topic
 * UNKNOWN_TOPIC_OR_PARTITION, a topic named twice INVALID_REQUEST, manual assignments whose
 * count does not match the partitions added INVALID_REPLICA_ASSIGNMENT (the brokers named are
 * otherwise ignored: storage replicates). {@code validateOnly} checks without creating.
 *
 * <p>Stateless; runs on event loops, continues on the controller's thread.
 */
public final class CreatePartitionsHandler implements RequestHandler {

    private final TopicController controller;
    private final PartitionRegistry registry;

    public CreatePartitionsHandler(TopicController controller, PartitionRegistry registry) {
        this.controller = controller;
        this.registry = registry;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        CreatePartitionsRequestData request = ((CreatePartitionsRequest) context.request()).data();
        short version = context.apiVersion();
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        request.topics().forEach(t -> {
            if (!seen.add(t.name())) {
                duplicated.add(t.name());
            }
        });
        List<CompletableFuture<CreatePartitionsResponseData.CreatePartitionsTopicResult>> results = new ArrayList<>();
        Set<String> answered = new HashSet<>();
        for (CreatePartitionsRequestData.CreatePartitionsTopic topic : request.topics()) {
            if (duplicated.contains(topic.name())) {
                if (answered.add(topic.name())) {
                    results.add(done(result(topic.name(), Errors.INVALID_REQUEST, "Duplicate topic in request.")));
                }
                continue;
            }
            results.add(grow(topic, request.validateOnly()));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            CreatePartitionsResponseData response = new CreatePartitionsResponseData().setThrottleTimeMs(0);
            results.forEach(r -> response.results().add(r.join()));
            return Reply.respond(ApiKeys.CREATE_PARTITIONS, version, response);
        });
    }

    private CompletableFuture<CreatePartitionsResponseData.CreatePartitionsTopicResult> grow(
            CreatePartitionsRequestData.CreatePartitionsTopic topic, boolean validateOnly) {
        TopicMetadata known = registry.image().topic(topic.name());
        if (known != null && topic.assignments() != null && topic.count() > known.partitions().size()
                && topic.assignments().size() != topic.count() - known.partitions().size()) {
            return done(result(topic.name(), Errors.INVALID_REPLICA_ASSIGNMENT, "Attempted to add "
                    + (topic.count() - known.partitions().size()) + " additional partition(s), but only "
                    + topic.assignments().size() + " assignment(s) were specified."));
        }
        return controller.createPartitions(topic.name(), topic.count(), validateOnly).handle((grown, failure) ->
                failure == null ? result(topic.name(), Errors.NONE, null)
                        : result(topic.name(), MetadataErrors.toKafka(failure), MetadataErrors.message(failure)));
    }

    private static CreatePartitionsResponseData.CreatePartitionsTopicResult result(String name, Errors error, String message) {
        return new CreatePartitionsResponseData.CreatePartitionsTopicResult().setName(name).setErrorCode(error.code())
                .setErrorMessage(message);
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
