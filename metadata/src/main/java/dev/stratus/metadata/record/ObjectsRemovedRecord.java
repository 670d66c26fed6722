package dev.stratus.metadata.record;

import java.util.List;

/** Marked objects whose keys were deleted from object storage: forgotten. */
public record ObjectsRemovedRecord(List<Long> objectIds) implements MetadataRecord {

    public ObjectsRemovedRecord {
        objectIds = List.copyOf(objectIds);
    }
}
