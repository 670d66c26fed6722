package dev.stratus.broker.fetch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;

/**
 * One incremental fetch session (KIP-227): the partitions a client fetches, in the order they are
 * read, each with the offset, byte limit and leader epoch it last asked for and the high watermark
 * and log start offset it was last told; and the epoch its next request must carry.
 *
 * <p>Thread: requests for a session arrive on any event loop. Every method is synchronized on the
 * session, short, and does no I/O: a request's changes are applied when it arrives and its
 * response is filtered when the reads are done, with the reads in between holding no lock. The
 * epoch check makes a client's requests serial (it learns the next epoch only from a response).
 * Bounded: at most {@link #MAX_PARTITIONS} partitions.
 */
final class FetchSession {

    /** Most partitions one session may hold; a request going beyond ends the session. */
    static final int MAX_PARTITIONS = 65_536;

    /** What the session remembers of one partition. Guarded by the session. */
    private static final class Cached {
        long fetchOffset;
        int maxBytes;
        int currentLeaderEpoch;
        long sentHighWatermark = Long.MIN_VALUE;
        long sentLogStartOffset = Long.MIN_VALUE;

        Cached(PartitionFetch fetch) {
            update(fetch);
        }

        void update(PartitionFetch fetch) {
            fetchOffset = fetch.fetchOffset();
            maxBytes = fetch.maxBytes();
            currentLeaderEpoch = fetch.currentLeaderEpoch();
        }
    }

    private final int id;
    private final boolean usesTopicIds;
    private final long createdMs;
    private final LinkedHashMap<PartitionKey, Cached> partitions = new LinkedHashMap<>();
    private int expectedEpoch = FetchMetadata.nextEpoch(FetchMetadata.INITIAL_EPOCH);
    private volatile long lastUsedMs;
    private volatile int size;

    FetchSession(int id, boolean usesTopicIds, long nowMs, List<PartitionFetch> initial) {
        this.id = id;
        this.usesTopicIds = usesTopicIds;
        this.createdMs = nowMs;
        this.lastUsedMs = nowMs;
        for (PartitionFetch fetch : initial) {
            partitions.put(fetch.key(), new Cached(fetch));
        }
        size = partitions.size();
    }

    int id() {
        return id;
    }

    long createdMs() {
        return createdMs;
    }

    /** Read without the session's lock by the cache when it looks for a session to evict. */
    long lastUsedMs() {
        return lastUsedMs;
    }

    /** Read without the session's lock by the cache when it looks for a session to evict. */
    int size() {
        return size;
    }

    /**
     * Applies an incremental request: checks its epoch and naming, adds or updates the partitions
     * it names, drops the forgotten ones, moves to the next epoch, and puts what to read (every
     * partition of the session, in session order) into {@code reads}.
     *
     * @return NONE, INVALID_FETCH_SESSION_EPOCH, FETCH_SESSION_TOPIC_ID_ERROR, or
     *         FETCH_SESSION_ID_NOT_FOUND when the session would grow beyond {@link #MAX_PARTITIONS}
     *         (the caller then removes it, and the client starts over with a full fetch)
     */
    synchronized Errors beginIncremental(int epoch, boolean byId, List<PartitionFetch> updates,
                                         List<PartitionKey> forgotten, long nowMs, List<PartitionFetch> reads) {
        if (epoch != expectedEpoch) {
            return Errors.INVALID_FETCH_SESSION_EPOCH;
        }
        if (byId != usesTopicIds) {
            return Errors.FETCH_SESSION_TOPIC_ID_ERROR;
        }
        lastUsedMs = nowMs;
        expectedEpoch = FetchMetadata.nextEpoch(expectedEpoch);
        for (PartitionFetch update : updates) {
            Cached cached = partitions.get(update.key());
            if (cached == null) {
                partitions.put(update.key(), new Cached(update));
            } else {
                cached.update(update);
            }
        }
        for (PartitionKey key : forgotten) {
            partitions.remove(key);
        }
        size = partitions.size();
        if (size > MAX_PARTITIONS) {
            return Errors.FETCH_SESSION_ID_NOT_FOUND;
        }
        for (Map.Entry<PartitionKey, Cached> entry : partitions.entrySet()) {
            Cached cached = entry.getValue();
            reads.add(new PartitionFetch(entry.getKey(), cached.fetchOffset, cached.maxBytes, cached.currentLeaderEpoch));
        }
        return Errors.NONE;
    }

    /** Remembers what a full response told the client about each partition. */
    synchronized void recordFull(List<PartitionFetch> reads, PartitionRead.Result[] results) {
        for (int i = 0; i < reads.size(); i++) {
            Cached cached = partitions.get(reads.get(i).key());
            if (cached != null) {
                remember(cached, results[i]);
            }
        }
    }

    /**
     * Chooses the partitions an incremental response carries: those with records, an error, or a
     * high watermark or log start offset other than the client was last told. Partitions that
     * returned records move to the end of the session, so the next responses give the others the
     * first share of the byte limit.
     */
    synchronized boolean[] selectIncremental(List<PartitionFetch> reads, PartitionRead.Result[] results) {
        boolean[] included = new boolean[reads.size()];
        for (int i = 0; i < reads.size(); i++) {
            PartitionKey key = reads.get(i).key();
            Cached cached = partitions.get(key);
            if (cached == null) {
                continue; // forgotten by a later request meanwhile: not the client's concern any more
            }
            PartitionRead.Result result = results[i];
            boolean hasRecords = result.sizeInBytes() > 0;
            included[i] = hasRecords || result.error() != Errors.NONE
                    || result.highWatermark() != cached.sentHighWatermark
                    || result.logStartOffset() != cached.sentLogStartOffset;
            remember(cached, result);
            if (hasRecords) {
                partitions.remove(key);
                partitions.put(key, cached);
            }
        }
        return included;
    }

    private static void remember(Cached cached, PartitionRead.Result result) {
        cached.sentHighWatermark = result.highWatermark();
        cached.sentLogStartOffset = result.logStartOffset();
    }
}
