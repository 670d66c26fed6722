package dev.stratus.storage.upload;

import dev.stratus.storage.format.ObjectEncoder;
import dev.stratus.storage.format.StreamObjectWriter;
import dev.stratus.storage.format.StreamSetObjectWriter;
import dev.stratus.storage.metadata.CommitRange;
import dev.stratus.storage.metadata.NewObject;
import dev.stratus.storage.metadata.ObjectType;
import dev.stratus.storage.stream.StreamRecordBatch;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an {@link UploadPlan} into the objects of one upload: every stream whose part reaches
 * the split size gets its own stream object; the rest share one stream set object (omitted
 * when empty). The objects are then committed together, in one metadata commit.
 *
 * <p>Immutable once built; used on the upload thread.
 */
final class UploadLayout {

    /** One object to write: its kind, batches (sorted by stream, then offset) and commit ranges. */
    record Part(ObjectType type, List<StreamRecordBatch> batches, List<CommitRange> ranges) {

        /** A fresh encoder for this part as object {@code objectId}. */
        ObjectEncoder encoder(long objectId, int blockBytes) {
            return type == ObjectType.STREAM
                    ? new StreamObjectWriter(objectId, ranges.get(0).streamId(), blockBytes)
                    : new StreamSetObjectWriter(objectId, blockBytes);
        }

        /** What to commit once this part is written as object {@code objectId} of {@code sizeBytes}. */
        NewObject written(long objectId, long sizeBytes) {
            return new NewObject(objectId, type, sizeBytes, ranges);
        }
    }

    private final List<Part> parts;

    private UploadLayout(List<Part> parts) {
        this.parts = parts;
    }

    static UploadLayout of(UploadPlan plan, long streamObjectSplitBytes) {
        List<Part> streamObjects = new ArrayList<>();
        List<StreamRecordBatch> shared = new ArrayList<>();
        List<CommitRange> sharedRanges = new ArrayList<>();
        int next = 0;
        for (CommitRange range : plan.ranges()) {
            List<StreamRecordBatch> batches = new ArrayList<>();
            long bytes = 0;
            while (next < plan.batches().size() && plan.batches().get(next).streamId() == range.streamId()) {
                StreamRecordBatch batch = plan.batches().get(next++);
                batches.add(batch);
                bytes += batch.sizeInBytes();
            }
            if (bytes >= streamObjectSplitBytes) {
                streamObjects.add(new Part(ObjectType.STREAM, batches, List.of(range)));
            } else {
                shared.addAll(batches);
                sharedRanges.add(range);
            }
        }
        List<Part> parts = new ArrayList<>();
        if (!shared.isEmpty()) {
            parts.add(new Part(ObjectType.STREAM_SET, shared, sharedRanges));
        }
        parts.addAll(streamObjects);
        return new UploadLayout(List.copyOf(parts));
    }

    List<Part> parts() {
        return parts;
    }
}
