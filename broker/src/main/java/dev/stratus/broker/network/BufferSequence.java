package dev.stratus.broker.network;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.RecordsSend;

/**
 * Record batches kept as the buffers they are stored in, one after the other, so that a response
 * can carry several stored batches without first joining them into one buffer: {@link FrameWriter}
 * copies each straight into the outgoing frame. Immutable; the buffers are read through duplicates.
 *
 * <p>Only our encoder writes these; Kafka's own network layer ({@link #toSend}) never sees them.
 */
public final class BufferSequence implements BaseRecords {

    private final List<ByteBuffer> buffers;
    private final int sizeInBytes;

    public BufferSequence(List<ByteBuffer> buffers) {
        this.buffers = List.copyOf(buffers);
        long size = 0;
        for (ByteBuffer buffer : this.buffers) {
            size += buffer.remaining();
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("records of " + size + " bytes");
        }
        this.sizeInBytes = (int) size;
    }

    /** The buffers in order; callers read them through duplicates. */
    public List<ByteBuffer> buffers() {
        return buffers;
    }

    @Override
    public int sizeInBytes() {
        return sizeInBytes;
    }

    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("a BufferSequence is written by FrameWriter only");
    }
}
