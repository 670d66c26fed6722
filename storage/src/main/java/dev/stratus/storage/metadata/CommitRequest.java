package dev.stratus.storage.metadata;

import java.util.List;

/**
 * One atomic change to the committed objects: new objects become visible and, for a
 * compaction, the objects they replace are marked for deletion, all or nothing.
 * <ul>
 *   <li>an <b>upload</b> ({@link #upload}, no compacted objects): every range carries its
 *       stream's current epoch and continues the stream's committed end; the commit advances
 *       those ends;</li>
 *   <li>a <b>compaction</b> ({@link #compaction}): the compacted objects must all still be
 *       committed; for every stream, the new ranges must lie inside what the compacted objects
 *       held and cover all of it that is still live (at or above the stream's start offset);
 *       epochs are ignored and stream ends do not move. With no new objects this marks objects
 *       that hold no live data (garbage collection).</li>
 * </ul>
 */
public record CommitRequest(List<NewObject> objects, List<Long> compactedObjectIds) {

    public CommitRequest {
        objects = List.copyOf(objects);
        compactedObjectIds = List.copyOf(compactedObjectIds);
    }

    public static CommitRequest upload(List<NewObject> objects) {
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("an upload commits at least one object");
        }
        return new CommitRequest(objects, List.of());
    }

    public static CommitRequest compaction(List<NewObject> objects, List<Long> compactedObjectIds) {
        if (compactedObjectIds.isEmpty()) {
            throw new IllegalArgumentException("a compaction replaces at least one object");
        }
        return new CommitRequest(objects, compactedObjectIds);
    }

    public boolean isCompaction() {
        return !compactedObjectIds.isEmpty();
    }
}
