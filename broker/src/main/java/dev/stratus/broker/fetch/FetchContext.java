package dev.stratus.broker.fetch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;

/**
 * What one Fetch request means for fetch sessions (KIP-227), decided when it arrives, and how its
 * response is shaped when the reads are done:
 *
 * <ul>
 *   <li>epoch -1 (id 0 or a session to close first): a full, sessionless fetch, session id 0;</li>
 *   <li>epoch 0 (id 0 or a session to close first): a full fetch that creates a session if the
 *       cache has room, answering its id (or 0);</li>
 *   <li>any other epoch: an incremental fetch of session {@code id}: FETCH_SESSION_ID_NOT_FOUND if
 *       there is none, INVALID_FETCH_SESSION_EPOCH if the epoch is not the one expected,
 *       FETCH_SESSION_TOPIC_ID_ERROR if the request names topics differently from the request that
 *       created the session; otherwise every partition of the session is read and the response
 *       carries only those with something new.</li>
 * </ul>
 *
 * <p>Thread: the connection's event loop, from request to response.
 */
final class FetchContext {

    private final Errors error;
    private final List<PartitionFetch> reads;
    private final FetchSession session;
    private final boolean incremental;

    private FetchContext(Errors error, List<PartitionFetch> reads, FetchSession session, boolean incremental) {
        this.error = error;
        this.reads = reads;
        this.session = session;
        this.incremental = incremental;
    }

    static FetchContext open(FetchRequestData request, boolean byId, FetchSessionCache cache) {
        int id = request.sessionId();
        int epoch = request.sessionEpoch();
        if (epoch == FetchMetadata.FINAL_EPOCH || epoch == FetchMetadata.INITIAL_EPOCH) {
            if (id != FetchMetadata.INVALID_SESSION_ID) {
                cache.remove(id);
            }
            List<PartitionFetch> reads = requested(request, byId);
            FetchSession created = epoch == FetchMetadata.INITIAL_EPOCH ? cache.create(byId, reads) : null;
            return new FetchContext(Errors.NONE, reads, created, false);
        }
        FetchSession existing = cache.get(id);
        if (existing == null) {
            return failed(Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
        List<PartitionFetch> reads = new ArrayList<>();
        Errors check = existing.beginIncremental(epoch, byId, requested(request, byId), forgotten(request, byId),
                cache.nowMs(), reads);
        if (check == Errors.FETCH_SESSION_ID_NOT_FOUND) {
            cache.remove(id);
        }
        return check == Errors.NONE ? new FetchContext(Errors.NONE, reads, existing, true) : failed(check);
    }

    private static FetchContext failed(Errors error) {
        return new FetchContext(error, List.of(), null, false);
    }

    /** NONE, or the top-level error that answers the whole request. */
    Errors error() {
        return error;
    }

    /** The partitions to read, in response order. */
    List<PartitionFetch> reads() {
        return reads;
    }

    /** The response: every partition for a full fetch, the changed ones for an incremental one. */
    FetchResponseData respond(PartitionRead.Result[] results, boolean readCommitted) {
        if (error != Errors.NONE) {
            return new FetchResponseData().setErrorCode(error.code()).setSessionId(FetchMetadata.INVALID_SESSION_ID);
        }
        boolean[] included;
        if (incremental) {
            included = session.selectIncremental(reads, results);
        } else {
            if (session != null) {
                session.recordFull(reads, results);
            }
            included = new boolean[reads.size()];
            Arrays.fill(included, true);
        }
        return new FetchResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code())
                .setSessionId(session == null ? FetchMetadata.INVALID_SESSION_ID : session.id())
                .setResponses(FetchResponses.topics(reads, results, included, readCommitted));
    }

    private static List<PartitionFetch> requested(FetchRequestData request, boolean byId) {
        List<PartitionFetch> reads = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                PartitionKey key = PartitionKey.of(byId, topic.topicId(), topic.topic(), partition.partition());
                reads.add(new PartitionFetch(key, partition.fetchOffset(), partition.partitionMaxBytes(),
                        partition.currentLeaderEpoch()));
            }
        }
        return reads;
    }

    private static List<PartitionKey> forgotten(FetchRequestData request, boolean byId) {
        List<PartitionKey> keys = new ArrayList<>();
        for (FetchRequestData.ForgottenTopic topic : request.forgottenTopicsData()) {
            for (int partition : topic.partitions()) {
                keys.add(PartitionKey.of(byId, topic.topicId(), topic.topic(), partition));
            }
        }
        return keys;
    }
}
