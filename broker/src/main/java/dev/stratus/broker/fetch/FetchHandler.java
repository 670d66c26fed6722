package dev.stratus.broker.fetch;

import dev.stratus.broker.api.TopicIds;
import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.PartitionLeader;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.metadata.MetadataImage;
import dev.stratus.metadata.TopicMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;

/**
 * Fetch: resolves the requested partitions (by name before v13, by topic id from v13) and runs a
 * {@link FetchOperation}. Fetch sessions (KIP-227) are not implemented yet: every response
 * carries session id 0, which tells clients that no session was created, so they keep sending
 * full fetch requests; a request naming a session gets FETCH_SESSION_ID_NOT_FOUND.
 * read_committed reads up to the high watermark (no transactions exist yet).
 *
 * <p>Stateless; runs on event loops.
 */
public final class FetchHandler implements RequestHandler {

    private final PartitionRegistry registry;
    private final int brokerFetchMaxBytes;
    private final BooleanSupplier draining;

    /** @param draining true once the broker shuts down: long polls then answer at once */
    public FetchHandler(PartitionRegistry registry, int brokerFetchMaxBytes, BooleanSupplier draining) {
        this.registry = registry;
        this.brokerFetchMaxBytes = brokerFetchMaxBytes;
        this.draining = draining;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        FetchRequestData request = ((FetchRequest) context.request()).data();
        short version = context.apiVersion();
        Errors sessionError = sessionError(request);
        if (sessionError != Errors.NONE) {
            FetchResponseData response = new FetchResponseData().setErrorCode(sessionError.code()).setSessionId(0);
            return CompletableFuture.completedFuture(Reply.respond(ApiKeys.FETCH, version, response));
        }
        boolean byId = version >= 13;
        MetadataImage image = registry.image();
        List<FetchOperation.TopicRef> topics = new ArrayList<>();
        List<FetchOperation.Target> targets = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            int topicIndex = topics.size();
            TopicMetadata known = byId ? image.topic(TopicIds.fromKafka(topic.topicId())) : image.topic(topic.topic());
            topics.add(new FetchOperation.TopicRef(byId ? null : topic.topic(), byId ? topic.topicId() : Uuid.ZERO_UUID));
            Errors unknown = byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                PartitionLeader leader = null;
                Errors error = unknown;
                if (known != null && known.partition(partition.partition()) != null) {
                    leader = registry.leader(known.topicId(), partition.partition());
                    error = leader == null ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.NONE;
                } else if (known != null) {
                    error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                }
                targets.add(new FetchOperation.Target(topicIndex, partition.partition(), leader, error,
                        partition.currentLeaderEpoch(), partition.fetchOffset(), partition.partitionMaxBytes()));
            }
        }
        int maxBytes = Math.min(request.maxBytes(), brokerFetchMaxBytes);
        boolean readCommitted = request.isolationLevel() == IsolationLevel.READ_COMMITTED.id();
        return new FetchOperation(context.executor(), version, topics, targets, request.minBytes(),
                request.maxWaitMs(), maxBytes, readCommitted, draining).start();
    }

    private static Errors sessionError(FetchRequestData request) {
        if (request.sessionId() != FetchMetadata.INVALID_SESSION_ID) {
            return Errors.FETCH_SESSION_ID_NOT_FOUND;
        }
        int epoch = request.sessionEpoch();
        if (epoch != FetchMetadata.INITIAL_EPOCH && epoch != FetchMetadata.FINAL_EPOCH) {
            return Errors.INVALID_FETCH_SESSION_EPOCH;
        }
        return Errors.NONE;
    }
}
