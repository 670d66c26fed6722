package dev.stratus.storage.format;

import dev.stratus.storage.stream.StreamRecordBatch;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Builds one stream object, whole in memory or piece by piece (see {@link ObjectEncoder}): object format v1 holding the batches of a single
 * stream, which must come in offset order without gaps or overlap (a stream object holds one
 * contiguous range). Byte for byte it is a stream set object with one stream; the difference
 * is recorded in metadata, not in the object.
 *
 * <p>Not thread-safe: one writer per object, used by the upload or compaction thread.
 */
public final class StreamObjectWriter implements ObjectEncoder {

    private final long streamId;
    private final StreamSetObjectWriter writer;
    private long startOffset = -1;
    private long endOffset = -1;

    public StreamObjectWriter(long objectId, long streamId, int targetBlockSize) {
        this.streamId = streamId;
        this.writer = new StreamSetObjectWriter(objectId, targetBlockSize);
    }

    /** Adds the next batch of the stream; it must start where the previous one ended. */
    @Override
    public void add(StreamRecordBatch batch) {
        if (batch.streamId() != streamId) {
            throw new IllegalArgumentException("stream object of stream " + streamId + " given a batch of stream "
                    + batch.streamId());
        }
        if (endOffset >= 0 && batch.baseOffset() != endOffset) {
            throw new IllegalArgumentException("stream object of stream " + streamId + " ends at " + endOffset
                    + ", next batch starts at " + batch.baseOffset());
        }
        writer.add(batch);
        if (startOffset < 0) {
            startOffset = batch.baseOffset();
        }
        endOffset = batch.nextOffset();
    }

    public boolean isEmpty() {
        return writer.isEmpty();
    }

    /** First offset held, or -1 when empty. */
    public long startOffset() {
        return startOffset;
    }

    /** Offset after the last batch held, or -1 when empty. */
    public long endOffset() {
        return endOffset;
    }

    @Override
    public long pendingBytes() {
        return writer.pendingBytes();
    }

    @Override
    public List<ByteBuffer> takeBlocks() {
        return writer.takeBlocks();
    }

    @Override
    public List<ByteBuffer> finishPieces() {
        requireData();
        return writer.finishPieces();
    }

    @Override
    public long objectSize() {
        return writer.objectSize();
    }

    /** Ends the object and returns its bytes whole (a buffer ready to read). */
    public ByteBuffer finish() {
        requireData();
        return writer.finish();
    }

    private void requireData() {
        if (writer.isEmpty()) {
            throw new IllegalStateException("empty stream object of stream " + streamId);
        }
    }
}
