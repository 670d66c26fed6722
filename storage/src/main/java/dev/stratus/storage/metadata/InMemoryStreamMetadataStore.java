package dev.stratus.storage.metadata;

import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The stream metadata store in memory: the reference semantics of {@link StreamMetadataStore}
 * for tests and for a single process without a controller. Rules:
 * <ul>
 *   <li>opening needs an epoch at least the current one and makes it current (fencing lower ones);
 *       close, trim and delete with a lower epoch fail {@code FENCED};</li>
 *   <li>commits follow {@link ObjectCatalogRules} (uploads continue their streams with the
 *       current epoch, compactions replace exactly the live data of the objects they mark),
 *       all-or-nothing;</li>
 *   <li>object ids come from {@link #prepareObjects} and are never reused; a prepare expires
 *       after its TTL, after which the id can only become an orphan;</li>
 *   <li>deleting or trimming a stream leaves objects as they are: an object whose ranges are all
 *       dead is marked by garbage collection through a compaction commit with no new objects.</li>
 * </ul>
 *
 * <p>Threading: every method holds this object's lock and returns an already completed future.
 */
public final class InMemoryStreamMetadataStore implements StreamMetadataStore, StreamMetadataView {

    private final Clock clock;
    private final TreeMap<Long, StreamMetadata> streams = new TreeMap<>();
    private final TreeMap<Long, ObjectMetadata> objects = new TreeMap<>();
    private final TreeMap<Long, Long> preparedUntilMs = new TreeMap<>();
    private final TreeMap<Long, Long> markedAtMs = new TreeMap<>();
    private final ObjectCatalogRules.Catalog catalog = new StoreCatalog();
    private long nextStreamId;
    private long nextObjectId;

    public InMemoryStreamMetadataStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized CompletableFuture<Long> createStream() {
        long id = nextStreamId++;
        streams.put(id, new StreamMetadata(id, 0, 0, 0, StreamMetadata.StreamState.CLOSED));
        return CompletableFuture.completedFuture(id);
    }

    @Override
    public synchronized CompletableFuture<StreamMetadata> openStream(long streamId, long epoch) {
        return withStream(streamId, epoch, stream -> {
            StreamMetadata opened = new StreamMetadata(streamId, epoch, stream.startOffset(), stream.endOffset(),
                    StreamMetadata.StreamState.OPENED);
            streams.put(streamId, opened);
            return opened;
        });
    }

    @Override
    public synchronized CompletableFuture<Void> closeStream(long streamId, long epoch) {
        return withStream(streamId, epoch, stream -> {
            streams.put(streamId, new StreamMetadata(streamId, stream.epoch(), stream.startOffset(), stream.endOffset(),
                    StreamMetadata.StreamState.CLOSED));
            return null;
        });
    }

    @Override
    public synchronized CompletableFuture<Void> trimStream(long streamId, long epoch, long newStartOffset) {
        return withStream(streamId, epoch, stream -> {
            if (newStartOffset > stream.startOffset()) {
                streams.put(streamId, new StreamMetadata(streamId, stream.epoch(), newStartOffset, stream.endOffset(),
                        stream.state()));
            }
            return null;
        });
    }

    @Override
    public synchronized CompletableFuture<Void> deleteStream(long streamId, long epoch) {
        return withStream(streamId, epoch, stream -> {
            streams.remove(streamId);
            return null;
        });
    }

    @Override
    public synchronized CompletableFuture<StreamMetadata> describeStream(long streamId) {
        StreamMetadata stream = streams.get(streamId);
        return stream == null ? CompletableFuture.failedFuture(notFound(streamId)) : CompletableFuture.completedFuture(stream);
    }

    @Override
    public synchronized CompletableFuture<Long> prepareObjects(int count, long ttlMs) {
        if (count <= 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("count must be positive: " + count));
        }
        long nowMs = clock.millis();
        preparedUntilMs.values().removeIf(untilMs -> untilMs < nowMs);
        long first = nextObjectId;
        nextObjectId += count;
        for (long id = first; id < nextObjectId; id++) {
            preparedUntilMs.put(id, nowMs + ttlMs);
        }
        return CompletableFuture.completedFuture(first);
    }

    @Override
    public synchronized CompletableFuture<Void> commitObjects(CommitRequest request) {
        long nowMs = clock.millis();
        ObjectCatalogRules.Decision decision;
        try {
            decision = ObjectCatalogRules.check(request, catalog, nowMs);
        } catch (StreamException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (decision.retry()) {
            return CompletableFuture.completedFuture(null);
        }
        decision.newEndOffsets().forEach((streamId, end) -> {
            StreamMetadata stream = streams.get(streamId);
            streams.put(streamId, new StreamMetadata(streamId, stream.epoch(), stream.startOffset(), end, stream.state()));
        });
        for (long id : request.compactedObjectIds()) {
            objects.remove(id);
            markedAtMs.put(id, nowMs);
        }
        for (NewObject object : request.objects()) {
            preparedUntilMs.remove(object.objectId());
            objects.put(object.objectId(), object.toMetadata(nowMs));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<List<ObjectMetadata>> listObjects() {
        return CompletableFuture.completedFuture(List.copyOf(objects.values()));
    }

    @Override
    public synchronized CompletableFuture<List<Long>> markOrphans(List<Long> objectIds) {
        long nowMs = clock.millis();
        List<Long> marked = new ArrayList<>();
        for (long id : objectIds) {
            if (ObjectCatalogRules.isOrphan(id, catalog, nowMs)) {
                preparedUntilMs.remove(id);
                markedAtMs.put(id, nowMs);
                marked.add(id);
            }
        }
        return CompletableFuture.completedFuture(marked);
    }

    @Override
    public synchronized CompletableFuture<List<MarkedObject>> markedObjects() {
        List<MarkedObject> result = new ArrayList<>();
        markedAtMs.forEach((id, atMs) -> result.add(new MarkedObject(id, atMs)));
        return CompletableFuture.completedFuture(result);
    }

    @Override
    public synchronized CompletableFuture<Void> forgetObjects(List<Long> objectIds) {
        objectIds.forEach(markedAtMs::remove);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<List<ObjectMetadata>> objectsOf(long streamId, long startOffset, long endOffset,
                                                                          int limit) {
        StreamMetadata stream = streams.get(streamId);
        if (stream == null) {
            return CompletableFuture.failedFuture(notFound(streamId));
        }
        long from = Math.max(startOffset, stream.startOffset());
        record Hit(long start, ObjectMetadata object) {
        }
        List<Hit> hits = new ArrayList<>();
        for (ObjectMetadata object : objects.values()) {
            for (StreamOffsetRange range : object.ranges()) {
                if (range.streamId() == streamId && range.startOffset() < endOffset && range.endOffset() > from) {
                    hits.add(new Hit(range.startOffset(), object));
                    break;
                }
            }
        }
        return CompletableFuture.completedFuture(hits.stream().sorted(Comparator.comparingLong(Hit::start))
                .limit(limit).map(Hit::object).toList());
    }

    @Override
    public synchronized CompletableFuture<List<StreamMetadata>> allStreams() {
        return CompletableFuture.completedFuture(List.copyOf(streams.values()));
    }

    /** Committed objects that hold no live data any more (streams deleted or trimmed past them), in id order. */
    public synchronized List<Long> unreferencedObjects() {
        return objects.values().stream().filter(o -> !ObjectCatalogRules.hasLiveData(o, catalog))
                .map(ObjectMetadata::objectId).toList();
    }

    /** Every committed object not marked for deletion, in id order. */
    public synchronized List<ObjectMetadata> committedObjects() {
        return List.copyOf(objects.values());
    }

    /** The catalog view of this store's state; used under the store's lock. */
    private final class StoreCatalog implements ObjectCatalogRules.Catalog {
        @Override
        public StreamMetadata stream(long streamId) {
            return streams.get(streamId);
        }

        @Override
        public ObjectMetadata object(long objectId) {
            return objects.get(objectId);
        }

        @Override
        public boolean isMarked(long objectId) {
            return markedAtMs.containsKey(objectId);
        }

        @Override
        public boolean isPrepared(long objectId, long nowMs) {
            Long untilMs = preparedUntilMs.get(objectId);
            return untilMs != null && untilMs >= nowMs;
        }

        @Override
        public long nextObjectId() {
            return nextObjectId;
        }
    }

    private interface StreamChange<T> {
        T apply(StreamMetadata stream);
    }

    private <T> CompletableFuture<T> withStream(long streamId, long epoch, StreamChange<T> change) {
        StreamMetadata stream = streams.get(streamId);
        if (stream == null) {
            return CompletableFuture.failedFuture(notFound(streamId));
        }
        if (epoch < stream.epoch()) {
            return CompletableFuture.failedFuture(new StreamException(StreamErrorCode.FENCED,
                    "stream " + streamId + " is at epoch " + stream.epoch() + ", caller has epoch " + epoch));
        }
        return CompletableFuture.completedFuture(change.apply(stream));
    }

    private static StreamException notFound(long streamId) {
        return new StreamException(StreamErrorCode.STREAM_NOT_FOUND, "stream " + streamId + " does not exist");
    }
}
