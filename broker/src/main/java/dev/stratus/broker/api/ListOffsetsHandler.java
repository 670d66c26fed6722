package dev.stratus.broker.api;

import dev.stratus.broker.fetch.TimestampSearch;
import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.LeaderEpochs;
import dev.stratus.broker.partition.PartitionLeader;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.storage.stream.Stream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.ListOffsetsRequest;

/**
 * ListOffsets: earliest (-2) and earliest-local (-4) are the log start offset; latest (-1) is
 * the high watermark (also for read_committed: no transactions yet); max timestamp (-3) and
 * timestamps >= 0 scan the partition ({@link TimestampSearch}); latest-tiered (-5) answers
 * "none" (offset -1) as Kafka does without tiered storage, since Stratus has no separate local
 * tier.
 *
 * <p>Stateless; runs on event loops, timestamp scans continue on the connection's event loop.
 */
public final class ListOffsetsHandler implements RequestHandler {

    private final PartitionRegistry registry;

    public ListOffsetsHandler(PartitionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        ListOffsetsRequestData request = ((ListOffsetsRequest) context.request()).data();
        short version = context.apiVersion();
        MetadataImage image = registry.image();
        List<ListOffsetsResponseData.ListOffsetsTopicResponse> topics = new ArrayList<>();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : request.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse topicResponse =
                    new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(topic.name());
            topics.add(topicResponse);
            TopicMetadata known = image.topic(topic.name());
            for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
                ListOffsetsResponseData.ListOffsetsPartitionResponse partitionResponse =
                        new ListOffsetsResponseData.ListOffsetsPartitionResponse().setPartitionIndex(partition.partitionIndex());
                topicResponse.partitions().add(partitionResponse);
                pending.add(lookUp(known, partition, context.executor())
                        .thenAccept(found -> fill(partitionResponse, found, version)));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(ignored ->
                Reply.respond(ApiKeys.LIST_OFFSETS, version, new ListOffsetsResponseData().setThrottleTimeMs(0).setTopics(topics)));
    }

    /** An answer for one partition: an error, or an offset with its timestamp and epoch. */
    private record Answer(Errors error, TimestampSearch.Found found) {
    }

    private CompletableFuture<Answer> lookUp(TopicMetadata topic, ListOffsetsRequestData.ListOffsetsPartition partition,
                                             Executor executor) {
        if (topic == null || topic.partition(partition.partitionIndex()) == null) {
            return error(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        PartitionLeader leader = registry.leader(topic.topicId(), partition.partitionIndex());
        if (leader == null) {
            return error(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        Stream stream = leader.stream();
        if (stream == null) {
            return error(leader.readError());
        }
        Errors epochError = LeaderEpochs.check(partition.currentLeaderEpoch(), leader.leaderEpoch());
        if (epochError != Errors.NONE) {
            return error(epochError);
        }
        long timestamp = partition.timestamp();
        int epoch = leader.leaderEpoch();
        if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
            return found(new TimestampSearch.Found(stream.startOffset(), RecordBatch.NO_TIMESTAMP, epoch));
        }
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
            return found(new TimestampSearch.Found(stream.confirmedOffset(), RecordBatch.NO_TIMESTAMP, epoch));
        }
        if (timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP) {
            return found(TimestampSearch.Found.NOT_FOUND);
        }
        if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
            return TimestampSearch.maxTimestamp(stream, executor).handle(ListOffsetsHandler::answer);
        }
        if (timestamp < 0) {
            return error(Errors.INVALID_REQUEST);
        }
        return TimestampSearch.firstAtOrAfter(stream, timestamp, executor).handle(ListOffsetsHandler::answer);
    }

    private static Answer answer(TimestampSearch.Found found, Throwable error) {
        return error == null ? new Answer(Errors.NONE, found)
                : new Answer(dev.stratus.broker.partition.StreamErrors.toKafka(error), null);
    }

    /** Leader epochs exist in ListOffsets responses from v4 on; older versions must leave the field at its default. */
    private static final short FIRST_VERSION_WITH_LEADER_EPOCH = 4;

    private static void fill(ListOffsetsResponseData.ListOffsetsPartitionResponse response, Answer answer, short version) {
        response.setErrorCode(answer.error().code());
        if (answer.found() == null) {
            response.setOffset(-1L).setTimestamp(RecordBatch.NO_TIMESTAMP);
        } else {
            response.setOffset(answer.found().offset()).setTimestamp(answer.found().timestamp());
            if (version >= FIRST_VERSION_WITH_LEADER_EPOCH) {
                response.setLeaderEpoch(answer.found().leaderEpoch());
            }
        }
    }

    private static CompletableFuture<Answer> error(Errors error) {
        return CompletableFuture.completedFuture(new Answer(error, null));
    }

    private static CompletableFuture<Answer> found(TimestampSearch.Found found) {
        return CompletableFuture.completedFuture(new Answer(Errors.NONE, found));
    }
}
