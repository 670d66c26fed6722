package dev.stratus.storage.cache;

import dev.stratus.storage.stream.StreamRecordBatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recent confirmed batches of every stream, serving tail reads without object storage, within a
 * bound that holds whatever the load, even while object storage is down and nothing can be
 * uploaded.
 *
 * <p>Each stream's cached data is one contiguous run ending at its confirmed offset, made of two
 * parts: an <em>evicted</em> prefix of {@link WalSegment}s (offsets and WAL positions only) and a
 * <em>resident</em> suffix of batches in memory. When the cache is over its bound, the oldest
 * resident batch across all streams leaves memory: dropped if it is already uploaded (below its
 * stream's committed end; objects serve it), otherwise folded into its stream's last WAL segment,
 * so that a read can still find it in the WAL (the WAL keeps every record until it is uploaded,
 * see {@link dev.stratus.storage.wal.WriteAheadLog#read}). A segment covers up to
 * {@link #SEGMENT_TARGET_BYTES} of payload and is charged {@link #SEGMENT_OVERHEAD_BYTES} against
 * the bound; should segments alone pass the bound (tiny batches, a long object storage outage),
 * neighbouring segments of a stream are merged, which costs reads a longer WAL scan but keeps
 * memory bounded: the only floor is one segment per stream with un-uploaded evicted data.
 * Segments are dropped once uploaded.
 *
 * <p>Threading: written by the WAL writer thread (puts) and the upload thread (commits), read by
 * fetching threads; one lock guards everything, and nothing under it does I/O.
 */
public final class LogCache {

    /** What one WAL segment is charged against the bound (its object and its map entry). */
    public static final int SEGMENT_OVERHEAD_BYTES = 128;
    /** Payload one WAL segment covers before the next eviction starts a new one. */
    public static final long SEGMENT_TARGET_BYTES = 256 * 1024;

    private record Resident(StreamRecordBatch batch, long walPosition, long walEndPosition) {
    }

    private static final class Segment {
        final long startOffset;
        final long walStartPosition;
        long endOffset;
        long walEndPosition;
        long payloadBytes;

        Segment(long startOffset, long endOffset, long walStartPosition, long walEndPosition, long payloadBytes) {
            this.startOffset = startOffset;
            this.endOffset = endOffset;
            this.walStartPosition = walStartPosition;
            this.walEndPosition = walEndPosition;
            this.payloadBytes = payloadBytes;
        }
    }

    private static final class StreamEntries {
        final ArrayDeque<Segment> evicted = new ArrayDeque<>();
        final TreeMap<Long, Resident> resident = new TreeMap<>();
        long committedEnd;

        long firstOffset() {
            if (!evicted.isEmpty()) {
                return evicted.peekFirst().startOffset;
            }
            return resident.isEmpty() ? -1 : resident.firstKey();
        }

        long endOffset() {
            if (!resident.isEmpty()) {
                return resident.lastEntry().getValue().batch().nextOffset();
            }
            return evicted.isEmpty() ? -1 : evicted.peekLast().endOffset;
        }
    }

    private final long maxBytes;
    private final Map<Long, StreamEntries> streams = new HashMap<>();
    private final ArrayDeque<Resident> insertionOrder = new ArrayDeque<>();
    private long bytes;
    private long segments;

    public LogCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("negative log cache size " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * Adds the next confirmed batch of its stream, durable in the WAL at
     * {@code [walPosition, walEndPosition)}; a batch that does not continue the cached run
     * replaces it.
     */
    public synchronized void put(StreamRecordBatch batch, long walPosition, long walEndPosition) {
        StreamEntries entries = streams.computeIfAbsent(batch.streamId(), id -> new StreamEntries());
        if (entries.endOffset() >= 0 && entries.endOffset() != batch.baseOffset()) {
            clear(entries);
        }
        Resident resident = new Resident(batch, walPosition, walEndPosition);
        entries.resident.put(batch.baseOffset(), resident);
        insertionOrder.add(resident);
        bytes += batch.sizeInBytes();
        evict();
    }

    /** Everything of {@code streamId} below {@code committedEnd} is in object storage: it may leave the cache. */
    public synchronized void markUploaded(long streamId, long committedEnd) {
        StreamEntries entries = streams.get(streamId);
        if (entries == null) {
            return;
        }
        entries.committedEnd = Math.max(entries.committedEnd, committedEnd);
        while (!entries.evicted.isEmpty() && entries.evicted.peekFirst().endOffset <= entries.committedEnd) {
            entries.evicted.pollFirst();
            bytes -= SEGMENT_OVERHEAD_BYTES;
            segments--;
        }
        evict();
    }

    /** First cached offset of the stream (resident or in a WAL segment), or -1 when nothing is cached. */
    public synchronized long startOffset(long streamId) {
        StreamEntries entries = streams.get(streamId);
        return entries == null ? -1 : entries.firstOffset();
    }

    /**
     * What the cache holds for a read of {@code [start, end)} of about {@code maxBytes}: a miss
     * when {@code start} lies below the cached run (read objects), the WAL segment holding
     * {@code start} when it was evicted, otherwise the resident batches from the one covering
     * {@code start} (at least one, whole batches).
     */
    public synchronized CacheLookup lookup(long streamId, long start, long end, int maxBytes) {
        StreamEntries entries = streams.get(streamId);
        if (entries == null || entries.firstOffset() < 0 || start < entries.firstOffset()) {
            return CacheLookup.miss();
        }
        for (Segment segment : entries.evicted) {
            if (start < segment.endOffset) {
                return CacheLookup.wal(new WalSegment(streamId, segment.startOffset, segment.endOffset,
                        segment.walStartPosition, segment.walEndPosition));
            }
        }
        return CacheLookup.resident(residentFrom(entries, start, end, maxBytes));
    }

    /**
     * Resident batches overlapping {@code [start, end)} up to about {@code maxBytes} (at least
     * one), or null when {@code start} lies below the resident batches.
     */
    public synchronized List<StreamRecordBatch> get(long streamId, long start, long end, int maxBytes) {
        StreamEntries entries = streams.get(streamId);
        if (entries == null || entries.resident.isEmpty() || start < entries.resident.firstKey()) {
            return null;
        }
        return residentFrom(entries, start, end, maxBytes);
    }

    private static List<StreamRecordBatch> residentFrom(StreamEntries entries, long start, long end, int maxBytes) {
        List<StreamRecordBatch> result = new ArrayList<>();
        Long first = entries.resident.floorKey(start);
        if (first == null) {
            return result;
        }
        int size = 0;
        for (Resident resident : entries.resident.tailMap(first, true).values()) {
            StreamRecordBatch batch = resident.batch();
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

    /** Bytes charged against the bound: resident payloads plus {@link #SEGMENT_OVERHEAD_BYTES} per WAL segment. */
    public synchronized long sizeInBytes() {
        return bytes;
    }

    /** WAL segments held for evicted, not yet uploaded batches. */
    public synchronized long walSegmentCount() {
        return segments;
    }

    public long maxBytes() {
        return maxBytes;
    }

    private void clear(StreamEntries entries) {
        for (Resident resident : entries.resident.values()) {
            bytes -= resident.batch().sizeInBytes();
        }
        entries.resident.clear();
        bytes -= (long) entries.evicted.size() * SEGMENT_OVERHEAD_BYTES;
        segments -= entries.evicted.size();
        entries.evicted.clear();
    }

    private void evict() {
        while (bytes > maxBytes && !insertionOrder.isEmpty()) {
            Resident oldest = insertionOrder.poll();
            StreamRecordBatch batch = oldest.batch();
            StreamEntries entries = streams.get(batch.streamId());
            if (entries == null || entries.resident.get(batch.baseOffset()) != oldest) {
                continue;
            }
            entries.resident.remove(batch.baseOffset());
            bytes -= batch.sizeInBytes();
            if (batch.nextOffset() > entries.committedEnd) {
                keepInWal(entries, oldest);
            }
        }
        while (!insertionOrder.isEmpty() && !isCached(insertionOrder.peek())) {
            insertionOrder.poll();
        }
        if (bytes > maxBytes) {
            mergeSegments();
        }
    }

    private boolean isCached(Resident resident) {
        StreamEntries entries = streams.get(resident.batch().streamId());
        return entries != null && entries.resident.get(resident.batch().baseOffset()) == resident;
    }

    /** Folds an evicted, un-uploaded batch (the first resident of its stream) into the stream's WAL segments. */
    private void keepInWal(StreamEntries entries, Resident evicted) {
        StreamRecordBatch batch = evicted.batch();
        Segment last = entries.evicted.peekLast();
        if (last != null && last.endOffset == batch.baseOffset() && last.payloadBytes < SEGMENT_TARGET_BYTES) {
            last.endOffset = batch.nextOffset();
            last.walEndPosition = evicted.walEndPosition();
            last.payloadBytes += batch.sizeInBytes();
            return;
        }
        entries.evicted.addLast(new Segment(batch.baseOffset(), batch.nextOffset(), evicted.walPosition(),
                evicted.walEndPosition(), batch.sizeInBytes()));
        bytes += SEGMENT_OVERHEAD_BYTES;
        segments++;
    }

    /** Merges neighbouring segments of every stream, pass after pass, until within the bound or one per stream is left. */
    private void mergeSegments() {
        boolean merged = true;
        while (bytes > maxBytes && merged) {
            merged = false;
            for (StreamEntries entries : streams.values()) {
                if (entries.evicted.size() < 2) {
                    continue;
                }
                ArrayDeque<Segment> halved = new ArrayDeque<>();
                Iterator<Segment> it = entries.evicted.iterator();
                while (it.hasNext()) {
                    Segment first = it.next();
                    if (it.hasNext()) {
                        Segment second = it.next();
                        halved.addLast(new Segment(first.startOffset, second.endOffset, first.walStartPosition,
                                second.walEndPosition, first.payloadBytes + second.payloadBytes));
                        bytes -= SEGMENT_OVERHEAD_BYTES;
                        segments--;
                        merged = true;
                    } else {
                        halved.addLast(first);
                    }
                }
                entries.evicted.clear();
                entries.evicted.addAll(halved);
            }
        }
    }
}
