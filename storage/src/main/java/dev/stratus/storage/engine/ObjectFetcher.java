package dev.stratus.storage.engine;

import dev.stratus.storage.format.ObjectReader;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.stream.StreamRecordBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Catch-up reads: finds the committed objects holding a stream's offsets and reads the
 * batches out of them, in offset order, until the range or the byte budget is exhausted.
 *
 * <p>Stateless; futures complete on metadata or object storage threads.
 */
final class ObjectFetcher {

    private static final int OBJECTS_PER_LOOKUP = 16;

    private final StreamMetadataStore metadata;
    private final ObjectReader reader;

    ObjectFetcher(StreamMetadataStore metadata, ObjectReader reader) {
        this.metadata = metadata;
        this.reader = reader;
    }

    /** Batches of {@code streamId} overlapping {@code [start, end)}, at least one if any exists, about {@code maxBytes}. */
    CompletableFuture<List<StreamRecordBatch>> fetch(long streamId, long start, long end, int maxBytes) {
        return lookup(streamId, start, end, maxBytes, new ArrayList<>());
    }

    private CompletableFuture<List<StreamRecordBatch>> lookup(long streamId, long start, long end, int maxBytes,
                                                              List<StreamRecordBatch> result) {
        return metadata.objectsOf(streamId, start, end, OBJECTS_PER_LOOKUP)
                .thenCompose(objects -> readObjects(streamId, objects, 0, start, end, maxBytes, result));
    }

    private CompletableFuture<List<StreamRecordBatch>> readObjects(long streamId, List<ObjectMetadata> objects, int next,
                                                                   long start, long end, int maxBytes,
                                                                   List<StreamRecordBatch> result) {
        if (next >= objects.size()) {
            if (objects.size() == OBJECTS_PER_LOOKUP && start < end && bytes(result) < maxBytes) {
                return lookup(streamId, start, end, maxBytes, result);
            }
            return CompletableFuture.completedFuture(result);
        }
        ObjectMetadata object = objects.get(next);
        int budget = Math.max(1, maxBytes - bytes(result));
        return reader.read(object.objectId(), object.sizeBytes(), streamId, start, end, budget).thenCompose(batches -> {
            long from = start;
            for (StreamRecordBatch batch : batches) {
                if (batch.nextOffset() <= from) {
                    continue;
                }
                if (!result.isEmpty() && bytes(result) >= maxBytes) {
                    return CompletableFuture.completedFuture(result);
                }
                result.add(batch);
                from = batch.nextOffset();
            }
            if (from >= end || bytes(result) >= maxBytes) {
                return CompletableFuture.completedFuture(result);
            }
            return readObjects(streamId, objects, next + 1, from, end, maxBytes, result);
        });
    }

    private static int bytes(List<StreamRecordBatch> batches) {
        int size = 0;
        for (StreamRecordBatch batch : batches) {
            size += batch.sizeInBytes();
        }
        return size;
    }
}
