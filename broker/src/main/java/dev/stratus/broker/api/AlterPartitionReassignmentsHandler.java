package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicController;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsRequest;

/**
 * AlterPartitionReassignments, as {@code kafka-reassign-partitions --execute} and
 * {@code --cancel} send it: a Stratus partition has one replica, its leader, so a replica list
 * of one broker moves the partition there (its leader hands it over, see
 * {@code PartitionMoves}), a null list cancels a move not completed yet, and any other length
 * is INVALID_REPLICA_ASSIGNMENT (or INVALID_REPLICATION_FACTOR when the request forbids a
 * change of replication factor). Each partition is answered once its move is recorded, not
 * when it is done ({@code --verify} and ListPartitionReassignments tell that).
 *
 * <p>Stateless; runs on event loops, continues on the controller's threads.
 */
public final class AlterPartitionReassignmentsHandler implements RequestHandler {

    private final TopicController controller;

    public AlterPartitionReassignmentsHandler(TopicController controller) {
        this.controller = controller;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        AlterPartitionReassignmentsRequestData request = ((AlterPartitionReassignmentsRequest) context.request()).data();
        short version = context.apiVersion();
        List<CompletableFuture<AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse>> answers = new ArrayList<>();
        List<String> topicOfAnswer = new ArrayList<>();
        for (AlterPartitionReassignmentsRequestData.ReassignableTopic topic : request.topics()) {
            for (AlterPartitionReassignmentsRequestData.ReassignablePartition partition : topic.partitions()) {
                answers.add(reassign(topic.name(), partition, request.allowReplicationFactorChange()));
                topicOfAnswer.add(topic.name());
            }
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData()
                    .setThrottleTimeMs(0).setErrorCode(Errors.NONE.code());
            for (int i = 0; i < answers.size(); i++) {
                String name = topicOfAnswer.get(i);
                AlterPartitionReassignmentsResponseData.ReassignableTopicResponse topic = response.responses().stream()
                        .filter(t -> t.name().equals(name)).findFirst().orElse(null);
                if (topic == null) {
                    topic = new AlterPartitionReassignmentsResponseData.ReassignableTopicResponse().setName(name);
                    response.responses().add(topic);
                }
                topic.partitions().add(answers.get(i).join());
            }
            return Reply.respond(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, version, response);
        });
    }

    private CompletableFuture<AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse> reassign(String topic,
            AlterPartitionReassignmentsRequestData.ReassignablePartition partition, boolean allowReplicationFactorChange) {
        List<Integer> replicas = partition.replicas();
        int target;
        if (replicas == null) {
            target = PartitionMetadata.NOT_MOVING;
        } else if (replicas.size() == 1) {
            target = replicas.get(0);
        } else {
            Errors error = allowReplicationFactorChange ? Errors.INVALID_REPLICA_ASSIGNMENT : Errors.INVALID_REPLICATION_FACTOR;
            return CompletableFuture.completedFuture(answer(partition.partitionIndex(), error, "A Stratus partition has one "
                    + "replica, its leader (storage replicates the data): name one broker, not " + replicas.size() + "."));
        }
        return controller.reassignPartition(topic, partition.partitionIndex(), target).handle((done, failure) -> failure == null
                ? answer(partition.partitionIndex(), Errors.NONE, null)
                : answer(partition.partitionIndex(), MetadataErrors.toKafka(failure), MetadataErrors.message(failure)));
    }

    private static AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse answer(int partition, Errors error,
                                                                                                String message) {
        return new AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse().setPartitionIndex(partition)
                .setErrorCode(error.code()).setErrorMessage(message);
    }
}
