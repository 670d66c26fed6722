package dev.stratus.storage.read;

import dev.stratus.storage.stream.StreamRecordBatch;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the batches of one read in offset order: keeps those overlapping
 * {@code [start, end)} that continue past what it already holds, and is full once it holds about
 * {@code maxBytes} (always at least one batch). Used by one read on one thread.
 */
final class BatchCollector {

    private final long end;
    private final int maxBytes;
    private final List<StreamRecordBatch> batches = new ArrayList<>();
    private long next;
    private long bytes;
    private boolean reachedEnd;

    BatchCollector(long start, long end, int maxBytes) {
        this.next = start;
        this.end = end;
        this.maxBytes = maxBytes;
    }

    /** Offers the next batch in offset order; returns false once nothing more is wanted. */
    boolean offer(StreamRecordBatch batch) {
        if (full()) {
            return false;
        }
        if (batch.baseOffset() >= end) {
            reachedEnd = true;
            return false;
        }
        if (batch.nextOffset() <= next) {
            return true;
        }
        if (!batches.isEmpty() && bytes + batch.sizeInBytes() > maxBytes) {
            bytes = Math.max(bytes, maxBytes);
            return false;
        }
        batches.add(batch);
        bytes += batch.sizeInBytes();
        next = batch.nextOffset();
        return !full();
    }

    /** Whether the read is complete: the byte budget is used or the end offset reached. */
    boolean full() {
        return reachedEnd || next >= end || (!batches.isEmpty() && bytes >= maxBytes);
    }

    /** The offset the next wanted batch must cover. */
    long next() {
        return next;
    }

    long remainingBytes() {
        return Math.max(0, maxBytes - bytes);
    }

    List<StreamRecordBatch> batches() {
        return batches;
    }
}
