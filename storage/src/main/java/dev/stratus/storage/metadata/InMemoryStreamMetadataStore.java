package dev.stratus.storage.metadata;

import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The stream metadata store in memory: the reference semantics of {@link StreamMetadataStore}
 * for tests and for a single process without a controller. Rules:
 * <ul>
 *   <li>opening needs an epoch at least the current one and makes it current (fencing lower ones);
 *       close, trim and delete with a lower epoch fail {@code FENCED};</li>
 *   <li>a commit is all-or-nothing: every range must carry its stream's current epoch
 *       ({@code FENCED} otherwise) and start exactly at the stream's committed end
 *       ({@code OFFSET_MISMATCH} otherwise; ranges of one stream in one commit apply in order);
 *       committing an already committed object id again with the same ranges succeeds (a retry);</li>
 *   <li>object ids come from {@link #prepareObjects} and are never reused.</li>
 * </ul>
 *
 * <p>Threading: every method holds this object's lock and returns an already completed future.
 */
public final class InMemoryStreamMetadataStore implements StreamMetadataStore {

    private final Clock clock;
    private final TreeMap<Long, StreamMetadata> streams = new TreeMap<>();
    private final TreeMap<Long, ObjectMetadata> objects = new TreeMap<>();
    private final Map<Long, Long> preparedUntilMs = new HashMap<>();
    private final List<Long> unreferencedObjects = new ArrayList<>();
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
            for (ObjectMetadata object : List.copyOf(objects.values())) {
                List<StreamOffsetRange> kept = object.ranges().stream().filter(r -> r.streamId() != streamId).toList();
                if (kept.isEmpty()) {
                    objects.remove(object.objectId());
                    unreferencedObjects.add(object.objectId());
                } else if (kept.size() != object.ranges().size()) {
                    objects.put(object.objectId(), new ObjectMetadata(object.objectId(), object.sizeBytes(), kept,
                            object.committedAtMs()));
                }
            }
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
        long first = nextObjectId;
        nextObjectId += count;
        for (long id = first; id < nextObjectId; id++) {
            preparedUntilMs.put(id, clock.millis() + ttlMs);
        }
        return CompletableFuture.completedFuture(first);
    }

    @Override
    public synchronized CompletableFuture<Void> commitObject(long objectId, long sizeBytes, List<CommitRange> ranges) {
        ObjectMetadata committed = objects.get(objectId);
        List<StreamOffsetRange> offsetRanges = ranges.stream().map(CommitRange::range)
                .sorted(Comparator.comparingLong(StreamOffsetRange::streamId).thenComparingLong(StreamOffsetRange::startOffset))
                .toList();
        if (committed != null) {
            return committed.ranges().equals(offsetRanges)
                    ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(new StreamException(StreamErrorCode.UNEXPECTED,
                            "object " + objectId + " is already committed with other ranges"));
        }
        if (!preparedUntilMs.containsKey(objectId)) {
            return CompletableFuture.failedFuture(new StreamException(StreamErrorCode.UNEXPECTED,
                    "object id " + objectId + " was never prepared"));
        }
        Map<Long, Long> ends = new HashMap<>();
        for (CommitRange range : ranges) {
            StreamMetadata stream = streams.get(range.streamId());
            if (stream == null) {
                return CompletableFuture.failedFuture(notFound(range.streamId()));
            }
            if (range.epoch() != stream.epoch()) {
                return CompletableFuture.failedFuture(new StreamException(StreamErrorCode.FENCED, "stream " + range.streamId()
                        + " is at epoch " + stream.epoch() + ", the commit carries epoch " + range.epoch()));
            }
            long end = ends.getOrDefault(range.streamId(), stream.endOffset());
            if (range.startOffset() != end) {
                return CompletableFuture.failedFuture(new StreamException(StreamErrorCode.OFFSET_MISMATCH, "stream "
                        + range.streamId() + " is committed up to " + end + ", the commit starts at " + range.startOffset()));
            }
            ends.put(range.streamId(), range.endOffset());
        }
        ends.forEach((streamId, end) -> {
            StreamMetadata stream = streams.get(streamId);
            streams.put(streamId, new StreamMetadata(streamId, stream.epoch(), stream.startOffset(), end, stream.state()));
        });
        preparedUntilMs.remove(objectId);
        objects.put(objectId, new ObjectMetadata(objectId, sizeBytes, offsetRanges, clock.millis()));
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

    /** Objects that no stream references any more (deleted streams), for a later garbage collector. */
    public synchronized List<Long> unreferencedObjects() {
        return List.copyOf(unreferencedObjects);
    }

    /** Every committed object, in id order. */
    public synchronized List<ObjectMetadata> committedObjects() {
        return List.copyOf(objects.values());
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
