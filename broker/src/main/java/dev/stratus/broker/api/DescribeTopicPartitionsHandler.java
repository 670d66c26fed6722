package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.TopicNames;
import dev.stratus.metadata.image.MetadataImage;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeTopicPartitionsRequest;

/**
 * DescribeTopicPartitions (KIP-966): the named topics, or every topic when none is named, in
 * name order, with their partitions, paged by a partition limit. A page ends once it holds
 * {@code min(request limit, 2000)} partitions (Kafka's {@code max.request.partition.size.limit});
 * its next cursor names the first topic and partition left out, and the client asks again from
 * there. A cursor with a negative partition is {@code INVALID_REQUEST}; a named topic that does not
 * exist is answered with {@code UNKNOWN_TOPIC_OR_PARTITION}. Every partition has this node as its
 * only replica; there are no eligible leader replicas (no replication to elect from).
 *
 * <p>Stateless: reads one metadata image per request; runs on event loops.
 */
public final class DescribeTopicPartitionsHandler implements RequestHandler {

    /** Kafka's default {@code max.request.partition.size.limit}: the most partitions in one response. */
    public static final int MAX_PARTITIONS_PER_RESPONSE = 2000;
    /** Kafka's "not computed" value for authorized operations: there are no ACLs yet. */
    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;

    private final PartitionRegistry registry;

    public DescribeTopicPartitionsHandler(PartitionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        DescribeTopicPartitionsRequest request = (DescribeTopicPartitionsRequest) context.request();
        DescribeTopicPartitionsRequestData data = request.data();
        short version = context.apiVersion();
        DescribeTopicPartitionsRequestData.Cursor cursor = data.cursor();
        if (cursor != null && (cursor.partitionIndex() < 0 || cursor.topicName() == null)) {
            ApiMessage invalid = request.getErrorResponse(0,
                    new InvalidRequestException("DescribeTopicPartitions cursor must name a topic and a partition >= 0: "
                            + cursor)).data();
            return CompletableFuture.completedFuture(Reply.respond(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, version, invalid));
        }
        MetadataImage image = registry.image();
        TreeSet<String> names = new TreeSet<>();
        if (data.topics().isEmpty()) {
            image.topics().forEach(topic -> names.add(topic.name()));
        } else {
            data.topics().forEach(topic -> names.add(topic.name()));
        }
        int limit = Math.max(1, Math.min(data.responsePartitionLimit(), MAX_PARTITIONS_PER_RESPONSE));
        DescribeTopicPartitionsResponseData response = page(image, cursor == null ? names : names.tailSet(cursor.topicName(), true),
                cursor, limit);
        return CompletableFuture.completedFuture(Reply.respond(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, version, response));
    }

    private static DescribeTopicPartitionsResponseData page(MetadataImage image, Iterable<String> names,
                                                            DescribeTopicPartitionsRequestData.Cursor cursor, int limit) {
        DescribeTopicPartitionsResponseData response = new DescribeTopicPartitionsResponseData().setThrottleTimeMs(0);
        int remaining = limit;
        for (String name : names) {
            TopicMetadata topic = image.topic(name);
            if (topic == null) {
                response.topics().add(new DescribeTopicPartitionsResponseTopic()
                        .setName(name)
                        .setTopicId(Uuid.ZERO_UUID)
                        .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                        .setTopicAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED));
                continue;
            }
            int first = cursor != null && name.equals(cursor.topicName()) ? cursor.partitionIndex() : 0;
            if (remaining == 0) {
                response.setNextCursor(nextCursor(name, first));
                break;
            }
            DescribeTopicPartitionsResponseTopic described = new DescribeTopicPartitionsResponseTopic()
                    .setName(name)
                    .setTopicId(TopicIds.toKafka(topic.topicId()))
                    .setIsInternal(TopicNames.isInternal(name))
                    .setErrorCode(Errors.NONE.code())
                    .setTopicAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
            List<PartitionMetadata> partitions = topic.partitions();
            int end = Math.min(partitions.size(), first + remaining);
            for (int index = first; index < end; index++) {
                described.partitions().add(describe(partitions.get(index)));
            }
            remaining -= Math.max(0, end - first);
            response.topics().add(described);
            if (end < partitions.size()) {
                response.setNextCursor(nextCursor(name, end));
                break;
            }
        }
        return response;
    }

    private static DescribeTopicPartitionsResponsePartition describe(PartitionMetadata partition) {
        return new DescribeTopicPartitionsResponsePartition()
                .setErrorCode(Errors.NONE.code())
                .setPartitionIndex(partition.partition())
                .setLeaderId(partition.leaderId())
                .setLeaderEpoch(partition.leaderEpoch())
                .setReplicaNodes(List.of(partition.leaderId()))
                .setIsrNodes(List.of(partition.leaderId()))
                .setEligibleLeaderReplicas(List.of())
                .setLastKnownElr(List.of())
                .setOfflineReplicas(List.of());
    }

    private static DescribeTopicPartitionsResponseData.Cursor nextCursor(String topic, int partition) {
        return new DescribeTopicPartitionsResponseData.Cursor().setTopicName(topic).setPartitionIndex(partition);
    }
}
