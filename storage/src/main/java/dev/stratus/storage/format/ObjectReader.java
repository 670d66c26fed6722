package dev.stratus.storage.format;

import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.stream.StreamRecordBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads batches of one stream out of objects with ranged reads: the object's tail (footer and,
 * usually, the whole index) once, cached in an {@link ObjectIndexCache}, then only the data
 * blocks that overlap the requested offsets.
 *
 * <p>Thread-safe and stateless apart from the shared cache; futures complete on the object
 * storage's threads.
 */
public final class ObjectReader {

    /** How much of an object's tail the first read fetches, hoping to get the index with the footer. */
    static final int TAIL_READ_SIZE = 16 * 1024;

    private final ObjectStorage storage;
    private final ObjectIndexCache indexCache;

    public ObjectReader(ObjectStorage storage, ObjectIndexCache indexCache) {
        this.storage = storage;
        this.indexCache = indexCache;
    }

    /** The index of object {@code objectId}, whose size the caller knows from metadata. */
    public CompletableFuture<ObjectIndex> index(long objectId, long objectSize) {
        ObjectIndex cached = indexCache.get(objectId);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        String key = ObjectKeys.objectKey(objectId);
        long tailStart = Math.max(0, objectSize - TAIL_READ_SIZE);
        return storage.rangeRead(key, tailStart, objectSize).thenCompose(tail -> {
            if (tail.remaining() != objectSize - tailStart) {
                throw ObjectIndex.corrupt(objectId, "object is shorter than its committed size " + objectSize);
            }
            ObjectFooter footer = ObjectFooter.decode(objectId, objectSize, tail);
            CompletableFuture<ByteBuffer> indexBytes;
            if (footer.indexPosition() >= tailStart) {
                int from = tail.position() + (int) (footer.indexPosition() - tailStart);
                indexBytes = CompletableFuture.completedFuture(
                        tail.duplicate().position(from).limit(from + footer.indexSize()).slice());
            } else {
                indexBytes = storage.rangeRead(key, footer.indexPosition(), footer.indexPosition() + footer.indexSize());
            }
            return indexBytes.thenApply(bytes -> {
                ObjectIndex index = ObjectIndex.decode(objectId, footer, bytes);
                indexCache.put(index);
                return index;
            });
        });
    }

    /**
     * Batches of {@code streamId} in object {@code objectId} overlapping {@code [start, end)}, in
     * offset order, stopping after the block in which {@code maxBytes} is reached.
     */
    public CompletableFuture<List<StreamRecordBatch>> read(long objectId, long objectSize, long streamId,
                                                           long start, long end, int maxBytes) {
        return index(objectId, objectSize).thenCompose(index -> readBlocks(index, index.blocksFor(streamId, start, end),
                0, start, end, maxBytes, new ArrayList<>()));
    }

    private CompletableFuture<List<StreamRecordBatch>> readBlocks(ObjectIndex index, List<DataBlockIndexEntry> blocks,
                                                                  int next, long start, long end, int maxBytes,
                                                                  List<StreamRecordBatch> result) {
        if (next >= blocks.size()) {
            return CompletableFuture.completedFuture(result);
        }
        DataBlockIndexEntry entry = blocks.get(next);
        return storage.rangeRead(ObjectKeys.objectKey(index.objectId()), entry.blockPosition(),
                entry.blockPosition() + entry.blockSize()).thenCompose(block -> {
                    int bytes = 0;
                    for (StreamRecordBatch batch : result) {
                        bytes += batch.sizeInBytes();
                    }
                    for (StreamRecordBatch batch : DataBlockDecoder.decode(index.objectId(), entry, block)) {
                        if (batch.nextOffset() <= start || batch.baseOffset() >= end) {
                            continue;
                        }
                        if (!result.isEmpty() && bytes >= maxBytes) {
                            return CompletableFuture.completedFuture(result);
                        }
                        result.add(batch);
                        bytes += batch.sizeInBytes();
                    }
                    if (bytes >= maxBytes) {
                        return CompletableFuture.completedFuture(result);
                    }
                    return readBlocks(index, blocks, next + 1, start, end, maxBytes, result);
                });
    }
}
