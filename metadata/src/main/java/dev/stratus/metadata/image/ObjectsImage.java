package dev.stratus.metadata.image;

import dev.stratus.storage.metadata.MarkedObject;
import dev.stratus.storage.metadata.ObjectMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The objects in object storage as the metadata knows them: committed objects (and, per stream,
 * which of them hold its data, by the start offset of its range), object ids prepared but not
 * yet committed, and objects marked for deletion. What catch-up reads, compaction and garbage
 * collection read, on every node, without asking the controller. Immutable.
 */
public final class ObjectsImage {

    public static final ObjectsImage EMPTY = new ObjectsImage(new HashMap<>(), new HashMap<>(), new TreeMap<>(),
            new TreeMap<>(), 0);

    private final Map<Long, ObjectMetadata> objects;
    private final Map<Long, NavigableMap<Long, ObjectMetadata>> byStream;
    private final NavigableMap<Long, Long> preparedUntilMs;
    private final NavigableMap<Long, Long> markedAtMs;
    private final long nextObjectId;

    /** The per-stream maps must not change after this (the delta builds new ones). */
    ObjectsImage(Map<Long, ObjectMetadata> objects, Map<Long, NavigableMap<Long, ObjectMetadata>> byStream,
                 NavigableMap<Long, Long> preparedUntilMs, NavigableMap<Long, Long> markedAtMs, long nextObjectId) {
        this.objects = Collections.unmodifiableMap(objects);
        this.byStream = Collections.unmodifiableMap(byStream);
        this.preparedUntilMs = Collections.unmodifiableNavigableMap(preparedUntilMs);
        this.markedAtMs = Collections.unmodifiableNavigableMap(markedAtMs);
        this.nextObjectId = nextObjectId;
    }

    /** The committed object, or null when not committed or marked for deletion. */
    public ObjectMetadata object(long objectId) {
        return objects.get(objectId);
    }

    /** Committed objects not marked for deletion, in id order. */
    public List<ObjectMetadata> live() {
        List<ObjectMetadata> all = new ArrayList<>(objects.values());
        all.sort((a, b) -> Long.compare(a.objectId(), b.objectId()));
        return all;
    }

    public int liveCount() {
        return objects.size();
    }

    public boolean isMarked(long objectId) {
        return markedAtMs.containsKey(objectId);
    }

    /** Marked objects not yet forgotten, in id order. */
    public List<MarkedObject> marked() {
        return markedAtMs.entrySet().stream().map(e -> new MarkedObject(e.getKey(), e.getValue())).toList();
    }

    /** Whether the id was prepared, is not committed, and its prepare has not expired at {@code nowMs}. */
    public boolean isPrepared(long objectId, long nowMs) {
        Long untilMs = preparedUntilMs.get(objectId);
        return untilMs != null && untilMs >= nowMs;
    }

    public long nextObjectId() {
        return nextObjectId;
    }

    /**
     * Committed objects holding data of {@code streamId} in {@code [startOffset, endOffset)}, in
     * offset order, at most {@code limit}.
     */
    public List<ObjectMetadata> objectsOf(long streamId, long startOffset, long endOffset, int limit) {
        NavigableMap<Long, ObjectMetadata> ofStream = byStream.get(streamId);
        if (ofStream == null) {
            return List.of();
        }
        Long from = ofStream.floorKey(startOffset);
        List<ObjectMetadata> result = new ArrayList<>();
        for (var entry : ofStream.tailMap(from == null ? startOffset : from, true).entrySet()) {
            if (entry.getKey() >= endOffset || result.size() >= limit) {
                break;
            }
            ObjectMetadata object = entry.getValue();
            if (object.ranges().stream().anyMatch(r -> r.streamId() == streamId && r.endOffset() > startOffset)) {
                result.add(object);
            }
        }
        return result;
    }

    Map<Long, ObjectMetadata> objects() {
        return objects;
    }

    Map<Long, NavigableMap<Long, ObjectMetadata>> byStream() {
        return byStream;
    }

    NavigableMap<Long, Long> preparedUntilMs() {
        return preparedUntilMs;
    }

    NavigableMap<Long, Long> markedAtMs() {
        return markedAtMs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectsImage other && nextObjectId == other.nextObjectId && objects.equals(other.objects)
                && byStream.equals(other.byStream) && preparedUntilMs.equals(other.preparedUntilMs)
                && markedAtMs.equals(other.markedAtMs);
    }

    @Override
    public int hashCode() {
        return objects.hashCode() * 31 + Long.hashCode(nextObjectId);
    }
}
