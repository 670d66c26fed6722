package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.AppendResult;
import dev.stratus.broker.partition.PartitionLeader;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.ProduceRequest;

/**
 * Produce: hands each partition's records to its {@link PartitionLeader} (which validates,
 * assigns offsets and appends on its agent thread) and answers when every partition is durable.
 * acks 1 and -1 both wait for the WAL (there are no followers; durability is the storage's);
 * acks -1 honours the request timeout with REQUEST_TIMED_OUT. acks=0 sends no response, and
 * closes the connection if any partition failed, as Kafka does, so that the client notices.
 * Topics are never created by Produce (Kafka creates them from Metadata only).
 *
 * <p>Stateless; runs on event loops, completes on storage or agent threads.
 */
public final class ProduceHandler implements RequestHandler {

    /** One partition's pending answer, in request order. */
    private record Pending(int topicIndex, int partition, CompletableFuture<AppendResult> result) {
    }

    private final PartitionRegistry registry;

    public ProduceHandler(PartitionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        ProduceRequest request = (ProduceRequest) context.request();
        short version = context.apiVersion();
        short acks = request.acks();
        boolean byId = version >= 13;
        MetadataImage image = registry.image();

        List<ProduceRequestData.TopicProduceData> topics = new ArrayList<>(request.data().topicData());
        List<Pending> pending = new ArrayList<>();
        for (int t = 0; t < topics.size(); t++) {
            ProduceRequestData.TopicProduceData topicData = topics.get(t);
            TopicMetadata topic = byId ? image.topic(TopicIds.fromKafka(topicData.topicId())) : image.topic(topicData.name());
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                int partition = partitionData.index();
                CompletableFuture<AppendResult> result;
                if (acks != 0 && acks != 1 && acks != -1) {
                    result = failed(Errors.INVALID_REQUIRED_ACKS);
                } else if (topic == null) {
                    result = failed(byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION);
                } else if (topic.partition(partition) == null) {
                    result = failed(Errors.UNKNOWN_TOPIC_OR_PARTITION);
                } else {
                    PartitionLeader leader = registry.leader(topic.topicId(), partition);
                    if (leader == null) {
                        result = failed(Errors.NOT_LEADER_OR_FOLLOWER);
                    } else if (!(partitionData.records() instanceof MemoryRecords records)) {
                        result = failed(Errors.INVALID_RECORD);
                    } else {
                        result = leader.append(records, version);
                        if (acks == -1 && request.timeout() > 0) {
                            result = result.completeOnTimeout(AppendResult.failure(Errors.REQUEST_TIMED_OUT,
                                    "Not durable within " + request.timeout() + " ms"), request.timeout(), TimeUnit.MILLISECONDS);
                        }
                    }
                }
                pending.add(new Pending(t, partition, result));
            }
        }
        return CompletableFuture.allOf(pending.stream().map(Pending::result).toArray(CompletableFuture[]::new))
                .thenApply(ignored -> acks == 0 ? replyToAcksZero(pending) : respond(topics, pending, version, byId, image));
    }

    private static Reply replyToAcksZero(List<Pending> pending) {
        for (Pending p : pending) {
            AppendResult result = p.result().join();
            if (result.error() != Errors.NONE) {
                return Reply.close("acks=0 produce to partition " + p.partition() + " failed with " + result.error());
            }
        }
        return Reply.none();
    }

    private Reply respond(List<ProduceRequestData.TopicProduceData> topics, List<Pending> pending,
                          short version, boolean byId, MetadataImage image) {
        ProduceResponseData response = new ProduceResponseData().setThrottleTimeMs(0);
        List<ProduceResponseData.TopicProduceResponse> topicResponses = new ArrayList<>();
        for (ProduceRequestData.TopicProduceData topicData : topics) {
            topicResponses.add(new ProduceResponseData.TopicProduceResponse()
                    .setName(byId ? "" : topicData.name())
                    .setTopicId(byId ? topicData.topicId() : Uuid.ZERO_UUID));
        }
        for (Pending p : pending) {
            AppendResult result = p.result().join();
            topicResponses.get(p.topicIndex()).partitionResponses().add(new ProduceResponseData.PartitionProduceResponse()
                    .setIndex(p.partition())
                    .setErrorCode(result.error().code())
                    .setErrorMessage(result.errorMessage())
                    .setBaseOffset(result.baseOffset())
                    .setLogAppendTimeMs(result.logAppendTimeMs())
                    .setLogStartOffset(result.logStartOffset()));
        }
        topicResponses.forEach(response.responses()::add);
        // The image as it is now, not as the request found it: a partition that moved while its
        // append waited names its new leader, so the producer's retry goes straight there.
        LeaderHints.addTo(response, registry.image(), registry.nodeId(), version, byId);
        return Reply.respond(ApiKeys.PRODUCE, version, response);
    }

    private static CompletableFuture<AppendResult> failed(Errors error) {
        return CompletableFuture.completedFuture(AppendResult.failure(error, null));
    }
}
