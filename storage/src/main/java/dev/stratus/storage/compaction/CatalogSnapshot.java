package dev.stratus.storage.compaction;

import dev.stratus.storage.metadata.ObjectCatalogRules;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.StreamMetadata;
import dev.stratus.storage.metadata.StreamOffsetRange;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The committed objects and streams as one compaction round read them. It may be stale by the
 * time a task commits; the metadata store re-checks every commit against its current state.
 *
 * <p>Immutable; built and used on the compaction thread.
 */
record CatalogSnapshot(List<ObjectMetadata> objects, Map<Long, StreamMetadata> streams) {

    CatalogSnapshot {
        objects = List.copyOf(objects);
        streams = Map.copyOf(streams);
    }

    static CatalogSnapshot of(List<ObjectMetadata> objects, List<StreamMetadata> streams) {
        return new CatalogSnapshot(objects, streams.stream()
                .collect(Collectors.toMap(StreamMetadata::streamId, Function.identity())));
    }

    /** The stream, or null when it was deleted. */
    StreamMetadata stream(long streamId) {
        return streams.get(streamId);
    }

    boolean isLive(StreamOffsetRange range) {
        return ObjectCatalogRules.isLive(range, stream(range.streamId()));
    }

    boolean hasLiveData(ObjectMetadata object) {
        return object.ranges().stream().anyMatch(this::isLive);
    }

    /** Whether a batch (or block) ending at {@code endOffset} of {@code streamId} is still readable. */
    boolean isLive(long streamId, long endOffset) {
        StreamMetadata stream = stream(streamId);
        return stream != null && endOffset > stream.startOffset();
    }
}
