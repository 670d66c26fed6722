package dev.stratus.storage.metadata;

import java.util.List;

/**
 * A committed object in object storage. The storage layer derives the object's key from its
 * id; metadata never holds keys or paths.
 *
 * @param ranges the stream ranges the object holds, sorted by stream id then offset, at most
 *               one per stream
 * @param type   stream set object or stream object
 */
public record ObjectMetadata(long objectId, long sizeBytes, List<StreamOffsetRange> ranges, long committedAtMs,
                             ObjectType type) {

    public ObjectMetadata {
        ranges = List.copyOf(ranges);
        if (type == null) {
            throw new IllegalArgumentException("type is required");
        }
    }

    /** A stream set object. */
    public ObjectMetadata(long objectId, long sizeBytes, List<StreamOffsetRange> ranges, long committedAtMs) {
        this(objectId, sizeBytes, ranges, committedAtMs, ObjectType.STREAM_SET);
    }

    /** This object's range of {@code streamId}, or null. */
    public StreamOffsetRange rangeOf(long streamId) {
        for (StreamOffsetRange range : ranges) {
            if (range.streamId() == streamId) {
                return range;
            }
        }
        return null;
    }
}
