package dev.stratus.storage.metadata;

import java.util.Comparator;
import java.util.List;

/**
 * One object written to object storage and offered to a commit.
 *
 * @param ranges one range per stream (an object never holds two separate pieces of one
 *               stream); for an upload each range carries the writer's epoch, for a compaction
 *               the epoch is ignored
 */
public record NewObject(long objectId, ObjectType type, long sizeBytes, List<CommitRange> ranges) {

    public NewObject {
        if (type == null) {
            throw new IllegalArgumentException("type is required");
        }
        ranges = List.copyOf(ranges);
    }

    /** The ranges as metadata keeps them: sorted by stream id, then offset. */
    public List<StreamOffsetRange> offsetRanges() {
        return ranges.stream().map(CommitRange::range)
                .sorted(Comparator.comparingLong(StreamOffsetRange::streamId).thenComparingLong(StreamOffsetRange::startOffset))
                .toList();
    }

    public ObjectMetadata toMetadata(long committedAtMs) {
        return new ObjectMetadata(objectId, sizeBytes, offsetRanges(), committedAtMs, type);
    }
}
