package dev.stratus.storage.cache;

import dev.stratus.storage.stream.StreamRecordBatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Recent confirmed batches of every stream, serving tail reads without object storage. Each
 * stream's cached batches form one contiguous run ending at its confirmed offset. The cache is
 * bounded by {@code maxBytes}, oldest first across streams, but a batch is evicted only once it
 * is uploaded (below its stream's committed end): until then it may exceed its bound, which the
 * WAL's capacity limits in turn.
 *
 * <p>Threading: written by the WAL writer thread (puts) and the upload thread (commits), read by
 * fetching threads; one lock guards everything.
 */
public final class LogCache {

    private static final class StreamEntries {
        final TreeMap<Long, StreamRecordBatch> batches = new TreeMap<>();
        long committedEnd;
    }

    private final long maxBytes;
    private final Map<Long, StreamEntries> streams = new HashMap<>();
    private final ArrayDeque<StreamRecordBatch> insertionOrder = new ArrayDeque<>();
    private long bytes;

    public LogCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Adds the next confirmed batch of its stream; a batch that does not continue the cached run replaces it. */
    public synchronized void put(StreamRecordBatch batch) {
        StreamEntries entries = streams.computeIfAbsent(batch.streamId(), id -> new StreamEntries());
        if (!entries.batches.isEmpty() && entries.batches.lastEntry().getValue().nextOffset() != batch.baseOffset()) {
            clear(entries);
        }
        entries.batches.put(batch.baseOffset(), batch);
        insertionOrder.add(batch);
        bytes += batch.sizeInBytes();
        evict();
    }

    /** Everything of {@code streamId} below {@code committedEnd} is in object storage: it may be evicted. */
    public synchronized void markUploaded(long streamId, long committedEnd) {
        StreamEntries entries = streams.computeIfAbsent(streamId, id -> new StreamEntries());
        entries.committedEnd = Math.max(entries.committedEnd, committedEnd);
        evict();
    }

    /** First cached offset of the stream, or -1 when nothing is cached. */
    public synchronized long startOffset(long streamId) {
        StreamEntries entries = streams.get(streamId);
        return entries == null || entries.batches.isEmpty() ? -1 : entries.batches.firstKey();
    }

    /**
     * Cached batches overlapping {@code [start, end)} up to about {@code maxBytes} (at least one),
     * or null when {@code start} lies below the cached run (the caller must read objects).
     */
    public synchronized List<StreamRecordBatch> get(long streamId, long start, long end, int maxBytes) {
        StreamEntries entries = streams.get(streamId);
        if (entries == null || entries.batches.isEmpty() || start < entries.batches.firstKey()) {
            return null;
        }
        NavigableMap<Long, StreamRecordBatch> from = entries.batches.tailMap(entries.batches.floorKey(start), true);
        List<StreamRecordBatch> result = new ArrayList<>();
        int size = 0;
        for (StreamRecordBatch batch : from.values()) {
            if (batch.baseOffset() >= end || (!result.isEmpty() && size >= maxBytes)) {
                break;
            }
            if (batch.nextOffset() <= start) {
                continue;
            }
            if (!result.isEmpty() && size + batch.sizeInBytes() > maxBytes) {
                break;
            }
            result.add(batch);
            size += batch.sizeInBytes();
        }
        return result;
    }

    /** Drops a stream's batches (closed, deleted, or fenced on this node). */
    public synchronized void removeStream(long streamId) {
        StreamEntries entries = streams.remove(streamId);
        if (entries != null) {
            clear(entries);
        }
    }

    public synchronized long sizeInBytes() {
        return bytes;
    }

    private void clear(StreamEntries entries) {
        for (StreamRecordBatch batch : entries.batches.values()) {
            bytes -= batch.sizeInBytes();
        }
        entries.batches.clear();
    }

    private void evict() {
        while (bytes > maxBytes && !insertionOrder.isEmpty()) {
            StreamRecordBatch oldest = insertionOrder.peek();
            StreamEntries entries = streams.get(oldest.streamId());
            if (entries == null || entries.batches.get(oldest.baseOffset()) != oldest) {
                insertionOrder.poll();
                continue;
            }
            if (oldest.nextOffset() > entries.committedEnd) {
                return;
            }
            entries.batches.remove(oldest.baseOffset());
            bytes -= oldest.sizeInBytes();
            insertionOrder.poll();
        }
        while (!insertionOrder.isEmpty()) {
            StreamRecordBatch oldest = insertionOrder.peek();
            StreamEntries entries = streams.get(oldest.streamId());
            if (entries != null && entries.batches.get(oldest.baseOffset()) == oldest) {
                return;
            }
            insertionOrder.poll();
        }
    }
}
