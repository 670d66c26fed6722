package dev.stratus.storage.metadata;

import java.util.List;

/**
 * A committed object in object storage. The storage layer derives the object's key from its
 * id; metadata never holds keys or paths.
 *
 * @param ranges the stream ranges the object holds, sorted by stream id then offset
 */
public record ObjectMetadata(long objectId, long sizeBytes, List<StreamOffsetRange> ranges, long committedAtMs) {

    public ObjectMetadata {
        ranges = List.copyOf(ranges);
    }
}
