package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ElectLeadersRequest;

/**
 * ElectLeaders: every partition already has its preferred (and only) leader, so each partition
 * named gets ELECTION_NOT_NEEDED, as Kafka answers for a partition led by its preferred replica,
 * and a missing one UNKNOWN_TOPIC_OR_PARTITION. Asking for all partitions (null) answers an
 * empty list, as Kafka leaves out partitions that needed no election. Nothing changes.
 *
 * <p>Stateless; runs on event loops.
 */
public final class ElectLeadersHandler implements RequestHandler {

    private final PartitionRegistry registry;

    public ElectLeadersHandler(PartitionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        ElectLeadersRequestData request = ((ElectLeadersRequest) context.request()).data();
        short version = context.apiVersion();
        MetadataImage image = registry.image();
        List<ElectLeadersResponseData.ReplicaElectionResult> results = new ArrayList<>();
        if (request.topicPartitions() != null) {
            for (ElectLeadersRequestData.TopicPartitions topic : request.topicPartitions()) {
                TopicMetadata known = image.topic(topic.topic());
                ElectLeadersResponseData.ReplicaElectionResult result =
                        new ElectLeadersResponseData.ReplicaElectionResult().setTopic(topic.topic());
                for (int partition : topic.partitions()) {
                    PartitionMetadata metadata = known == null ? null : known.partition(partition);
                    Errors error = metadata == null ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.ELECTION_NOT_NEEDED;
                    result.partitionResult().add(new ElectLeadersResponseData.PartitionResult()
                            .setPartitionId(partition)
                            .setErrorCode(error.code())
                            .setErrorMessage(metadata == null ? "The partition does not exist."
                                    : "Leader election not needed for topic partition."));
                }
                results.add(result);
            }
        }
        ElectLeadersResponseData response = new ElectLeadersResponseData().setThrottleTimeMs(0)
                .setReplicaElectionResults(results);
        if (version >= 1) {
            response.setErrorCode(Errors.NONE.code());
        }
        return CompletableFuture.completedFuture(Reply.respond(ApiKeys.ELECT_LEADERS, version, response));
    }
}
