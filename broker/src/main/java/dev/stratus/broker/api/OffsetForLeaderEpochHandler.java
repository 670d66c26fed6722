package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.LeaderEpochHistory;
import dev.stratus.broker.partition.LeaderEpochs;
import dev.stratus.broker.partition.PartitionLeader;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.metadata.TopicMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;

/**
 * OffsetForLeaderEpoch, which consumers use to validate their position after a leader change
 * (KIP-320): for the epoch asked, the largest epoch not above it and the offset where it ended
 * ({@link LeaderEpochHistory}; the current epoch ends at the log end). The client's current
 * leader epoch is checked first (FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH). On a single node
 * each restart is a new epoch.
 *
 * <p>Stateless; runs on event loops, the history is read on the partitions' agents.
 */
public final class OffsetForLeaderEpochHandler implements RequestHandler {

    private final PartitionRegistry registry;

    public OffsetForLeaderEpochHandler(PartitionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        OffsetForLeaderEpochRequestData request = ((OffsetsForLeaderEpochRequest) context.request()).data();
        short version = context.apiVersion();
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData().setThrottleTimeMs(0);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic : request.topics()) {
            OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult topicResult =
                    new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult().setTopic(topic.topic());
            response.topics().add(topicResult);
            TopicMetadata known = registry.image().topic(topic.topic());
            for (OffsetForLeaderEpochRequestData.OffsetForLeaderPartition partition : topic.partitions()) {
                OffsetForLeaderEpochResponseData.EpochEndOffset result = new OffsetForLeaderEpochResponseData.EpochEndOffset()
                        .setPartition(partition.partition())
                        .setLeaderEpoch(-1)
                        .setEndOffset(-1L);
                topicResult.partitions().add(result);
                if (known == null || known.partition(partition.partition()) == null) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    continue;
                }
                PartitionLeader leader = registry.leader(known.topicId(), partition.partition());
                if (leader == null) {
                    result.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code());
                    continue;
                }
                Errors epochError = LeaderEpochs.check(partition.currentLeaderEpoch(), leader.leaderEpoch());
                if (epochError != Errors.NONE) {
                    result.setErrorCode(epochError.code());
                    continue;
                }
                pending.add(leader.endOffsetForEpoch(partition.leaderEpoch()).thenAccept(end -> {
                    if (end == null) {
                        // Not readable now (opening, or handed over in a move): retriable, never "undefined".
                        Errors error = leader.readError();
                        result.setErrorCode((error == Errors.NONE ? Errors.NOT_LEADER_OR_FOLLOWER : error).code());
                    } else {
                        result.setErrorCode(Errors.NONE.code()).setLeaderEpoch(end.epoch()).setEndOffset(end.endOffset());
                    }
                }));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> Reply.respond(ApiKeys.OFFSET_FOR_LEADER_EPOCH, version, response));
    }
}
