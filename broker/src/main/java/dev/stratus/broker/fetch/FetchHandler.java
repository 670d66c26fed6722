package dev.stratus.broker.fetch;

import dev.stratus.broker.api.LeaderHints;
import dev.stratus.broker.api.TopicIds;
import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.PartitionLeader;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchRequest;

/**
 * Fetch: decides what the request means for fetch sessions ({@link FetchContext}: sessionless,
 * full with a new session, or incremental), resolves the partitions to read (by name before v13,
 * by topic id from v13) in the current metadata image, runs a {@link FetchOperation} (long poll
 * included) and lets the context shape the response. read_committed reads up to the high
 * watermark (no transactions exist yet).
 *
 * <p>Stateless apart from the shared {@link FetchSessionCache}; runs on event loops.
 */
public final class FetchHandler implements RequestHandler {

    private final PartitionRegistry registry;
    private final FetchSessionCache sessions;
    private final int brokerFetchMaxBytes;
    private final BooleanSupplier draining;

    /** @param draining true once the broker shuts down: long polls then answer at once */
    public FetchHandler(PartitionRegistry registry, FetchSessionCache sessions, int brokerFetchMaxBytes,
                        BooleanSupplier draining) {
        this.registry = registry;
        this.sessions = sessions;
        this.brokerFetchMaxBytes = brokerFetchMaxBytes;
        this.draining = draining;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        FetchRequestData request = ((FetchRequest) context.request()).data();
        short version = context.apiVersion();
        boolean byId = version >= 13;
        boolean readCommitted = request.isolationLevel() == IsolationLevel.READ_COMMITTED.id();
        FetchContext fetch = FetchContext.open(request, byId, sessions);
        if (fetch.error() != Errors.NONE) {
            return CompletableFuture.completedFuture(
                    Reply.respond(ApiKeys.FETCH, version, fetch.respond(new PartitionRead.Result[0], readCommitted)));
        }
        List<FetchOperation.Target> targets = resolve(fetch.reads(), byId);
        int maxBytes = Math.min(request.maxBytes(), brokerFetchMaxBytes);
        return new FetchOperation(context.executor(), targets, request.minBytes(), request.maxWaitMs(), maxBytes, draining)
                .start()
                .thenApply(results -> {
                    FetchResponseData response = fetch.respond(results, readCommitted);
                    LeaderHints.addTo(response, registry.image(), registry.nodeId(), version);
                    return Reply.respond(ApiKeys.FETCH, version, response);
                });
    }

    private List<FetchOperation.Target> resolve(List<PartitionFetch> reads, boolean byId) {
        MetadataImage image = registry.image();
        Errors unknown = byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        List<FetchOperation.Target> targets = new ArrayList<>(reads.size());
        for (PartitionFetch read : reads) {
            PartitionKey key = read.key();
            TopicMetadata known = byId ? image.topic(TopicIds.fromKafka(key.topicId())) : image.topic(key.topic());
            PartitionLeader leader = null;
            Errors error = unknown;
            if (known != null && known.partition(key.partition()) != null) {
                leader = registry.leader(known.topicId(), key.partition());
                error = leader == null ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.NONE;
            } else if (known != null) {
                error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
            }
            targets.add(new FetchOperation.Target(leader, error, read.currentLeaderEpoch(), read.fetchOffset(), read.maxBytes()));
        }
        return targets;
    }
}
