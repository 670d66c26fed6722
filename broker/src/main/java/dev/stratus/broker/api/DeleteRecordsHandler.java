package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.PartitionLeader;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.metadata.TopicMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsRequest;

/**
 * DeleteRecords: moves each partition's log start offset up to the offset given (-1: the high
 * watermark) by trimming its stream, and answers the new low watermark. Beyond the high
 * watermark is OFFSET_OUT_OF_RANGE with nothing changed; a missing topic or partition
 * UNKNOWN_TOPIC_OR_PARTITION. Trimmed data stops being readable at once and leaves object
 * storage with the next compaction.
 *
 * <p>Stateless; runs on event loops, continues on the partitions' agents.
 */
public final class DeleteRecordsHandler implements RequestHandler {

    private final PartitionRegistry registry;

    public DeleteRecordsHandler(PartitionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        DeleteRecordsRequestData request = ((DeleteRecordsRequest) context.request()).data();
        short version = context.apiVersion();
        DeleteRecordsResponseData response = new DeleteRecordsResponseData().setThrottleTimeMs(0);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : request.topics()) {
            DeleteRecordsResponseData.DeleteRecordsTopicResult topicResult =
                    new DeleteRecordsResponseData.DeleteRecordsTopicResult().setName(topic.name());
            response.topics().add(topicResult);
            TopicMetadata known = registry.image().topic(topic.name());
            for (DeleteRecordsRequestData.DeleteRecordsPartition partition : topic.partitions()) {
                DeleteRecordsResponseData.DeleteRecordsPartitionResult partitionResult =
                        new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                                .setPartitionIndex(partition.partitionIndex())
                                .setLowWatermark(-1L);
                topicResult.partitions().add(partitionResult);
                PartitionLeader leader = known == null || known.partition(partition.partitionIndex()) == null ? null
                        : registry.leader(known.topicId(), partition.partitionIndex());
                if (leader == null) {
                    partitionResult.setErrorCode((known == null || known.partition(partition.partitionIndex()) == null
                            ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.NOT_LEADER_OR_FOLLOWER).code());
                    continue;
                }
                pending.add(leader.deleteRecords(partition.offset()).thenAccept(result -> partitionResult
                        .setErrorCode(result.error().code())
                        .setLowWatermark(result.lowWatermark())));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> Reply.respond(ApiKeys.DELETE_RECORDS, version, response));
    }
}
