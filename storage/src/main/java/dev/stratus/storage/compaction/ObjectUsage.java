package dev.stratus.storage.compaction;

import dev.stratus.storage.format.DataBlockIndexEntry;
import dev.stratus.storage.format.ObjectFormat;
import dev.stratus.storage.format.ObjectIndex;
import dev.stratus.storage.stream.StreamRecordBatch;

import java.util.Map;
import java.util.TreeMap;

/**
 * How much of an object is still live, from its index: a data block is dead when its stream
 * was deleted or trimmed past the block's end. Per-stream live bytes tell whether a stream is
 * big enough for its own stream object. Bytes are counted as {@link #batchBytes} counts them
 * (batch headers and payloads, not block headers), so that the planner and the compactor
 * measure a stream alike and a rewritten object never looks like it needs the same rewrite again.
 *
 * <p>Immutable.
 */
record ObjectUsage(long liveBytes, long deadBytes, Map<Long, Long> liveBytesByStream) {

    static ObjectUsage of(ObjectIndex index, CatalogSnapshot catalog) {
        long live = 0;
        long dead = 0;
        Map<Long, Long> byStream = new TreeMap<>();
        for (DataBlockIndexEntry entry : index.entries()) {
            long bytes = entry.blockSize() - ObjectFormat.BLOCK_HEADER_SIZE;
            if (catalog.isLive(entry.streamId(), entry.endOffset())) {
                live += bytes;
                byStream.merge(entry.streamId(), bytes, Long::sum);
            } else {
                dead += bytes;
            }
        }
        return new ObjectUsage(live, dead, Map.copyOf(byStream));
    }

    /** What one batch weighs in an object: its header and payload. */
    static long batchBytes(StreamRecordBatch batch) {
        return ObjectFormat.BATCH_HEADER_SIZE + batch.sizeInBytes();
    }

    long largestStreamBytes() {
        return liveBytesByStream.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
