package dev.stratus.broker.partition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A bounded in-memory summary of a partition's batches for retention and DescribeLogDirs: per
 * entry the offset range, the largest timestamp and the size in bytes. It plays the part of
 * Kafka's segments: when more than {@link #MAX_ENTRIES} entries exist, neighbours are merged
 * up to a target size that doubles each time (range union, larger timestamp, summed size), so the
 * index never holds more than
 * {@value #MAX_ENTRIES} entries (32 bytes each) whatever the partition's size, and only its
 * granularity coarsens. Merging is conservative for retention: an entry is deleted by time only
 * when its newest record is old enough, and by size only whole.
 *
 * <p>Thread: owned by the partition's agent; not thread-safe.
 */
final class BatchIndex {

    static final int MAX_ENTRIES = 1024;

    private long[] base = new long[16];
    private long[] next = new long[16];
    private long[] maxTimestamp = new long[16];
    private long[] size = new long[16];
    private int count;
    private long totalBytes;
    /** Entries are merged up to this size once the index is full; 0 until then. */
    private long targetBytes;

    int entries() {
        return count;
    }

    long totalBytes() {
        return totalBytes;
    }

    /** Adds a batch after every entry already held. */
    void add(long baseOffset, long nextOffset, long batchMaxTimestamp, long sizeBytes) {
        if (count == base.length) {
            if (count >= MAX_ENTRIES) {
                coalesce();
            } else {
                grow(Math.min(MAX_ENTRIES, count * 2));
            }
        }
        if (count > 0 && targetBytes > 0 && size[count - 1] + sizeBytes <= targetBytes) {
            next[count - 1] = nextOffset;
            maxTimestamp[count - 1] = Math.max(maxTimestamp[count - 1], batchMaxTimestamp);
            size[count - 1] += sizeBytes;
            totalBytes += sizeBytes;
            return;
        }
        base[count] = baseOffset;
        next[count] = nextOffset;
        maxTimestamp[count] = batchMaxTimestamp;
        size[count] = sizeBytes;
        count++;
        totalBytes += sizeBytes;
    }

    /**
     * The end of the longest run of whole entries from the first one that ends at or below
     * {@code limit} ({@code fallback} when none does): where a checkpoint of this index can end.
     */
    long wholeEntriesEnd(long limit, long fallback) {
        long end = fallback;
        for (int i = 0; i < count && next[i] <= limit; i++) {
            end = next[i];
        }
        return end;
    }

    /** The entries ending at or below {@code endOffset}, for a {@link PartitionCheckpoint}. */
    List<PartitionCheckpoint.IndexEntry> entriesBelow(long endOffset) {
        List<PartitionCheckpoint.IndexEntry> entries = new ArrayList<>();
        for (int i = 0; i < count && next[i] <= endOffset; i++) {
            entries.add(new PartitionCheckpoint.IndexEntry(base[i], next[i], maxTimestamp[i], size[i]));
        }
        return entries;
    }

    /** An index holding a checkpoint's entries. */
    static BatchIndex of(List<PartitionCheckpoint.IndexEntry> entries) {
        BatchIndex index = new BatchIndex();
        for (PartitionCheckpoint.IndexEntry entry : entries) {
            index.add(entry.baseOffset(), entry.nextOffset(), entry.maxTimestamp(), entry.sizeBytes());
        }
        return index;
    }

    /** Puts {@code older} (all below this index's first offset, in order) in front. */
    void prepend(BatchIndex older) {
        BatchIndex merged = new BatchIndex();
        for (int i = 0; i < older.count; i++) {
            merged.add(older.base[i], older.next[i], older.maxTimestamp[i], older.size[i]);
        }
        for (int i = 0; i < count; i++) {
            merged.add(base[i], next[i], maxTimestamp[i], size[i]);
        }
        base = merged.base;
        next = merged.next;
        maxTimestamp = merged.maxTimestamp;
        size = merged.size;
        count = merged.count;
        totalBytes = merged.totalBytes;
    }

    /** Forgets entries wholly below {@code startOffset}; an entry it cuts through is kept whole. */
    void trimTo(long startOffset) {
        int drop = 0;
        while (drop < count && next[drop] <= startOffset) {
            totalBytes -= size[drop];
            drop++;
        }
        if (drop > 0) {
            shiftLeft(drop);
        }
    }

    /** Forgets entries at or above {@code offset} (appends that never became durable). */
    void truncateFrom(long offset) {
        while (count > 0 && base[count - 1] >= offset) {
            count--;
            totalBytes -= size[count];
        }
    }

    /**
     * The offset retention trims to, or -1 when nothing is due: leading entries below
     * {@code highWatermark} whose newest timestamp is older than {@code nowMs - retentionMs}, then
     * more while the rest is still larger than {@code retentionBytes} without them.
     */
    long retentionOffset(long nowMs, long retentionMs, long retentionBytes, long highWatermark) {
        int drop = 0;
        long remaining = totalBytes;
        while (drop < count && next[drop] <= highWatermark) {
            boolean expired = retentionMs >= 0 && maxTimestamp[drop] < nowMs - retentionMs;
            boolean oversize = retentionBytes >= 0 && remaining - size[drop] >= retentionBytes;
            if (!expired && !oversize) {
                break;
            }
            remaining -= size[drop];
            drop++;
        }
        return drop == 0 ? -1 : next[drop - 1];
    }

    /**
     * Doubles the target entry size (at least 4x the average a full index allows) and merges
     * neighbours greedily up to it, so granularity stays even across the partition: old data is
     * not merged more coarsely than new.
     */
    private void coalesce() {
        targetBytes = Math.max(Math.max(1, targetBytes * 2), 4 * totalBytes / MAX_ENTRIES);
        int merged = 0;
        for (int i = 0; i < count; i++) {
            if (merged > 0 && size[merged - 1] + size[i] <= targetBytes) {
                next[merged - 1] = next[i];
                maxTimestamp[merged - 1] = Math.max(maxTimestamp[merged - 1], maxTimestamp[i]);
                size[merged - 1] += size[i];
            } else {
                base[merged] = base[i];
                next[merged] = next[i];
                maxTimestamp[merged] = maxTimestamp[i];
                size[merged] = size[i];
                merged++;
            }
        }
        count = merged;
    }

    private void grow(int capacity) {
        base = Arrays.copyOf(base, capacity);
        next = Arrays.copyOf(next, capacity);
        maxTimestamp = Arrays.copyOf(maxTimestamp, capacity);
        size = Arrays.copyOf(size, capacity);
    }

    private void shiftLeft(int by) {
        System.arraycopy(base, by, base, 0, count - by);
        System.arraycopy(next, by, next, 0, count - by);
        System.arraycopy(maxTimestamp, by, maxTimestamp, 0, count - by);
        System.arraycopy(size, by, size, 0, count - by);
        count -= by;
    }
}
