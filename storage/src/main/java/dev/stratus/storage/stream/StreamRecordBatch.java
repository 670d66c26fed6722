package dev.stratus.storage.stream;

import java.nio.ByteBuffer;

/**
 * One batch as a stream stores it: an opaque payload covering the logical offsets
 * {@code [baseOffset, baseOffset + count)}. The storage layer never looks inside the payload.
 *
 * <p>Immutable once built; the payload buffer is read with absolute gets or duplicates, never
 * consumed, so one batch may be handed to many readers.
 */
public record StreamRecordBatch(long streamId, long epoch, long baseOffset, int count, ByteBuffer payload) {

    public StreamRecordBatch {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        if (baseOffset < 0) {
            throw new IllegalArgumentException("baseOffset must not be negative: " + baseOffset);
        }
        payload = payload.asReadOnlyBuffer();
    }

    /** Offset right after the last record of this batch. */
    public long nextOffset() {
        return baseOffset + count;
    }

    public int sizeInBytes() {
        return payload.remaining();
    }

    /** A fresh view of the payload whose position and limit the caller may move. */
    public ByteBuffer payloadView() {
        return payload.duplicate();
    }
}
