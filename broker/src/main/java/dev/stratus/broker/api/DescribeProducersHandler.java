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
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeProducersRequest;

/**
 * DescribeProducers: the idempotent producers each partition knows (from its producer state:
 * those seen since it opened, plus those found in its tail when it opened), with epoch, last
 * sequence and last timestamp; no transactions yet, so coordinator epoch -1 and no open
 * transaction (-1). A missing topic or partition is UNKNOWN_TOPIC_OR_PARTITION.
 *
 * <p>Stateless; runs on event loops, producer state is read on the partitions' agents.
 */
public final class DescribeProducersHandler implements RequestHandler {

    private final PartitionRegistry registry;

    public DescribeProducersHandler(PartitionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        DescribeProducersRequestData request = ((DescribeProducersRequest) context.request()).data();
        short version = context.apiVersion();
        DescribeProducersResponseData response = new DescribeProducersResponseData().setThrottleTimeMs(0);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (DescribeProducersRequestData.TopicRequest topic : request.topics()) {
            DescribeProducersResponseData.TopicResponse topicResponse =
                    new DescribeProducersResponseData.TopicResponse().setName(topic.name());
            response.topics().add(topicResponse);
            TopicMetadata known = registry.image().topic(topic.name());
            for (int partition : topic.partitionIndexes()) {
                DescribeProducersResponseData.PartitionResponse partitionResponse =
                        new DescribeProducersResponseData.PartitionResponse().setPartitionIndex(partition);
                topicResponse.partitions().add(partitionResponse);
                if (known == null || known.partition(partition) == null) {
                    partitionResponse.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    continue;
                }
                PartitionLeader leader = registry.leader(known.topicId(), partition);
                if (leader == null) {
                    partitionResponse.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code());
                    continue;
                }
                pending.add(leader.producers().thenAccept(producers -> {
                    partitionResponse.setErrorCode(Errors.NONE.code());
                    producers.forEach(p -> partitionResponse.activeProducers().add(
                            new DescribeProducersResponseData.ProducerState()
                                    .setProducerId(p.producerId())
                                    .setProducerEpoch(p.epoch())
                                    .setLastSequence(p.lastSequence())
                                    .setLastTimestamp(p.lastTimestamp())
                                    .setCoordinatorEpoch(-1)
                                    .setCurrentTxnStartOffset(-1L)));
                }));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> Reply.respond(ApiKeys.DESCRIBE_PRODUCERS, version, response));
    }
}
