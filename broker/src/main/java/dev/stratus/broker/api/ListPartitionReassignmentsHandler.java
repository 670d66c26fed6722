package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.MetadataImage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListPartitionReassignmentsRequest;

/**
 * ListPartitionReassignments: the partitions being moved, from this node's image, each as Kafka
 * describes a reassignment in progress: replicas the leader and the target, adding the target,
 * removing the leader. Asked for named partitions, only those moving are listed (as Kafka does).
 *
 * <p>Stateless; runs on event loops.
 */
public final class ListPartitionReassignmentsHandler implements RequestHandler {

    private final Supplier<MetadataImage> image;

    public ListPartitionReassignmentsHandler(Supplier<MetadataImage> image) {
        this.image = image;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        ListPartitionReassignmentsRequestData request = ((ListPartitionReassignmentsRequest) context.request()).data();
        MetadataImage now = image.get();
        ListPartitionReassignmentsResponseData response = new ListPartitionReassignmentsResponseData().setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code());
        if (request.topics() == null) {
            for (TopicMetadata topic : now.topics()) {
                add(response, topic, null);
            }
        } else {
            for (ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics asked : request.topics()) {
                TopicMetadata topic = now.topic(asked.name());
                if (topic != null) {
                    add(response, topic, asked.partitionIndexes());
                }
            }
        }
        return CompletableFuture.completedFuture(Reply.respond(ApiKeys.LIST_PARTITION_REASSIGNMENTS, context.apiVersion(),
                response));
    }

    private static void add(ListPartitionReassignmentsResponseData response, TopicMetadata topic, List<Integer> only) {
        ListPartitionReassignmentsResponseData.OngoingTopicReassignment listed = null;
        for (PartitionMetadata partition : topic.partitions()) {
            if (!partition.moving() || only != null && !only.contains(partition.partition())) {
                continue;
            }
            if (listed == null) {
                listed = new ListPartitionReassignmentsResponseData.OngoingTopicReassignment().setName(topic.name());
                response.topics().add(listed);
            }
            listed.partitions().add(new ListPartitionReassignmentsResponseData.OngoingPartitionReassignment()
                    .setPartitionIndex(partition.partition())
                    .setReplicas(List.of(partition.leaderId(), partition.movingTo()))
                    .setAddingReplicas(List.of(partition.movingTo()))
                    .setRemovingReplicas(List.of(partition.leaderId())));
        }
    }
}
