package dev.stratus.metadata.record;

import dev.stratus.storage.metadata.StreamOffsetRange;
import java.util.List;

/** An object became visible with the given stream ranges. */
public record ObjectRecord(long objectId, long sizeBytes, List<StreamOffsetRange> ranges, long committedAtMs)
        implements MetadataRecord {

    public ObjectRecord {
        ranges = List.copyOf(ranges);
    }
}
