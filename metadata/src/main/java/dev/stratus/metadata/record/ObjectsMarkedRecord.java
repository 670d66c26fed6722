package dev.stratus.metadata.record;

import java.util.List;

/**
 * Objects marked for deletion at {@code markedAtMs}: compacted, holding no live data, or
 * orphans. They disappear from lookups at once and from object storage after the grace period.
 */
public record ObjectsMarkedRecord(List<Long> objectIds, long markedAtMs) implements MetadataRecord {

    public ObjectsMarkedRecord {
        objectIds = List.copyOf(objectIds);
    }
}
