package dev.stratus.storage.read;

import dev.stratus.storage.stream.StreamRecordBatch;

import java.util.List;

/**
 * One decoded data block held by the {@link BlockCache}: its batches (whose payloads share one
 * buffer owned by this block alone) and the bytes that buffer occupies. Immutable.
 */
public record CachedBlock(BlockKey key, List<StreamRecordBatch> batches, int sizeBytes) {

    public CachedBlock {
        batches = List.copyOf(batches);
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("negative size " + sizeBytes);
        }
    }
}
