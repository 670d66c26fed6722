package dev.stratus.metadata.record;

import dev.stratus.storage.metadata.ObjectType;
import dev.stratus.storage.metadata.StreamOffsetRange;
import java.util.List;

/** An object became visible with the given stream ranges (an upload or a compaction output). */
public record ObjectRecord(long objectId, long sizeBytes, List<StreamOffsetRange> ranges, long committedAtMs,
                           ObjectType type) implements MetadataRecord {

    public ObjectRecord {
        ranges = List.copyOf(ranges);
        if (type == null) {
            throw new IllegalArgumentException("type is required");
        }
    }

    /** A stream set object (what every object was before stream objects existed). */
    public ObjectRecord(long objectId, long sizeBytes, List<StreamOffsetRange> ranges, long committedAtMs) {
        this(objectId, sizeBytes, ranges, committedAtMs, ObjectType.STREAM_SET);
    }
}
