package dev.stratus.metadata.controller;

import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.metadata.record.ObjectRecord;
import dev.stratus.metadata.record.ObjectsMarkedRecord;
import dev.stratus.metadata.record.ObjectsPreparedRecord;
import dev.stratus.metadata.record.ObjectsRemovedRecord;
import dev.stratus.metadata.record.RemoveStreamRecord;
import dev.stratus.metadata.record.StreamRecord;
import dev.stratus.storage.metadata.CommitRequest;
import dev.stratus.storage.metadata.NewObject;
import dev.stratus.storage.metadata.ObjectCatalogRules;
import dev.stratus.storage.metadata.StreamMetadata.StreamState;
import dev.stratus.storage.metadata.StreamMetadata;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams and the objects that hold their data: open and close with epoch fencing, trims,
 * object id prepares, atomic commits of uploads and compactions, and the deletion lifecycle
 * (marked, then forgotten once deleted from object storage). Every check that makes a stale
 * owner harmless lives here: an open below the stream's epoch, and a close, trim or commit at
 * any epoch but the current one, are rejected with FENCED. Pure: time comes in as
 * {@code nowMs} and goes into the records, so that replay is deterministic.
 */
final class StreamControlManager {

    ControllerResult<Long> createStream(MetadataImage image) {
        long streamId = image.streams().nextStreamId();
        return ControllerResult.of(List.of(new StreamRecord(streamId, 0, 0, 0, StreamState.CLOSED)), streamId);
    }

    ControllerResult<StreamMetadata> openStream(MetadataImage image, long streamId, long epoch) {
        StreamMetadata stream = existing(image, streamId);
        if (epoch < stream.epoch()) {
            throw fenced(stream, epoch);
        }
        return ControllerResult.thenRead(List.of(new StreamRecord(streamId, epoch, stream.startOffset(), stream.endOffset(),
                StreamState.OPENED)), next -> next.streams().stream(streamId));
    }

    ControllerResult<Void> closeStream(MetadataImage image, long streamId, long epoch) {
        StreamMetadata stream = owned(image, streamId, epoch);
        return ControllerResult.of(List.of(new StreamRecord(streamId, epoch, stream.startOffset(), stream.endOffset(),
                StreamState.CLOSED)), null);
    }

    ControllerResult<Void> trimStream(MetadataImage image, long streamId, long epoch, long newStartOffset) {
        StreamMetadata stream = owned(image, streamId, epoch);
        if (newStartOffset <= stream.startOffset()) {
            return ControllerResult.none(null);
        }
        return ControllerResult.of(List.of(new StreamRecord(streamId, epoch, newStartOffset, stream.endOffset(),
                stream.state())), null);
    }

    ControllerResult<Void> deleteStream(MetadataImage image, long streamId, long epoch) {
        StreamMetadata stream = existing(image, streamId);
        if (epoch < stream.epoch()) {
            throw fenced(stream, epoch);
        }
        return ControllerResult.of(List.of(new RemoveStreamRecord(streamId)), null);
    }

    ControllerResult<Long> prepareObjects(MetadataImage image, int count, long ttlMs, long nowMs) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        long first = image.objects().nextObjectId();
        return ControllerResult.of(List.of(new ObjectsPreparedRecord(first, count, nowMs, nowMs + ttlMs)), first);
    }

    ControllerResult<Void> commitObjects(MetadataImage image, CommitRequest request, long nowMs) {
        ObjectCatalogRules.Decision decision = ObjectCatalogRules.check(request, new ImageCatalog(image), nowMs);
        if (decision.retry()) {
            return ControllerResult.none(null);
        }
        List<MetadataRecord> records = new ArrayList<>();
        decision.newEndOffsets().forEach((streamId, end) -> {
            StreamMetadata stream = image.streams().stream(streamId);
            records.add(new StreamRecord(streamId, stream.epoch(), stream.startOffset(), end, stream.state()));
        });
        if (request.isCompaction()) {
            records.add(new ObjectsMarkedRecord(request.compactedObjectIds(), nowMs));
        }
        for (NewObject object : request.objects()) {
            records.add(new ObjectRecord(object.objectId(), object.sizeBytes(), object.offsetRanges(), nowMs, object.type()));
        }
        return ControllerResult.of(records, null);
    }

    ControllerResult<List<Long>> markOrphans(MetadataImage image, List<Long> objectIds, long nowMs) {
        ImageCatalog catalog = new ImageCatalog(image);
        List<Long> orphans = objectIds.stream().distinct().filter(id -> ObjectCatalogRules.isOrphan(id, catalog, nowMs)).toList();
        return ControllerResult.of(orphans.isEmpty() ? List.of() : List.of(new ObjectsMarkedRecord(orphans, nowMs)), orphans);
    }

    ControllerResult<Void> forgetObjects(MetadataImage image, List<Long> objectIds) {
        List<Long> marked = objectIds.stream().distinct().filter(image.objects()::isMarked).toList();
        return ControllerResult.of(marked.isEmpty() ? List.of() : List.of(new ObjectsRemovedRecord(marked)), null);
    }

    static StreamMetadata existing(MetadataImage image, long streamId) {
        StreamMetadata stream = image.streams().stream(streamId);
        if (stream == null) {
            throw new StreamException(StreamErrorCode.STREAM_NOT_FOUND, "stream " + streamId + " does not exist");
        }
        return stream;
    }

    private static StreamMetadata owned(MetadataImage image, long streamId, long epoch) {
        StreamMetadata stream = existing(image, streamId);
        if (epoch != stream.epoch()) {
            throw fenced(stream, epoch);
        }
        return stream;
    }

    private static StreamException fenced(StreamMetadata stream, long epoch) {
        return new StreamException(StreamErrorCode.FENCED, "stream " + stream.streamId() + " is at epoch "
                + stream.epoch() + ", the caller holds epoch " + epoch);
    }
}
