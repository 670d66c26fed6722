package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.metadata.TopicController;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteTopicsRequest;

/**
 * DeleteTopics, by name (v1-5, {@code topicNames}) or by name or id (v6, {@code topics}).
 * Unknown names get UNKNOWN_TOPIC_OR_PARTITION, unknown ids UNKNOWN_TOPIC_ID. The partitions
 * close and their streams are deleted when the registry sees the new image.
 *
 * <p>Stateless; runs on event loops, continues on the controller's thread.
 */
public final class DeleteTopicsHandler implements RequestHandler {

    private final TopicController controller;
    private final PartitionRegistry registry;

    public DeleteTopicsHandler(TopicController controller, PartitionRegistry registry) {
        this.controller = controller;
        this.registry = registry;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        DeleteTopicsRequestData request = ((DeleteTopicsRequest) context.request()).data();
        short version = context.apiVersion();
        MetadataImage image = registry.image();
        List<CompletableFuture<DeleteTopicsResponseData.DeletableTopicResult>> results = new ArrayList<>();
        if (version >= 6) {
            for (DeleteTopicsRequestData.DeleteTopicState topic : request.topics()) {
                if (topic.name() != null) {
                    results.add(delete(topic.name(), image));
                } else {
                    Uuid id = topic.topicId();
                    TopicMetadata known = id == null || Uuid.ZERO_UUID.equals(id) ? null : image.topic(TopicIds.fromKafka(id));
                    results.add(known == null
                            ? CompletableFuture.completedFuture(result(null, id, Errors.UNKNOWN_TOPIC_ID, "Topic id " + id + " not found."))
                            : delete(known.name(), image));
                }
            }
        } else {
            for (String name : request.topicNames()) {
                results.add(delete(name, image));
            }
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            DeleteTopicsResponseData response = new DeleteTopicsResponseData().setThrottleTimeMs(0);
            results.forEach(r -> response.responses().add(r.join()));
            return Reply.respond(ApiKeys.DELETE_TOPICS, version, response);
        });
    }

    private CompletableFuture<DeleteTopicsResponseData.DeletableTopicResult> delete(String name, MetadataImage image) {
        TopicMetadata topic = image.topic(name);
        if (topic == null) {
            return CompletableFuture.completedFuture(result(name, Uuid.ZERO_UUID, Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "This server does not host this topic-partition."));
        }
        Uuid id = TopicIds.toKafka(topic.topicId());
        return controller.deleteTopic(name).handle((done, failure) -> failure == null
                ? result(name, id, Errors.NONE, null)
                : result(name, id, MetadataErrors.toKafka(failure), MetadataErrors.message(failure)));
    }

    private static DeleteTopicsResponseData.DeletableTopicResult result(String name, Uuid id, Errors error, String message) {
        return new DeleteTopicsResponseData.DeletableTopicResult()
                .setName(name)
                .setTopicId(id)
                .setErrorCode(error.code())
                .setErrorMessage(message);
    }
}
