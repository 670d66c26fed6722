package dev.stratus.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.BaseRecords;

/**
 * A Kafka {@link Writable} that lays one response frame straight into pooled direct buffers,
 * gathered in a {@link CompositeByteBuf} that the socket writes with one gathering write.
 *
 * <p>Why: serializing into one heap buffer cost three copies and three zero-fills of every fetched
 * byte (the heap frame, Netty merging it for the socket, an unpooled direct copy), most of a fetch's
 * CPU. Here record bytes are copied once, from the stored batches into direct memory the kernel can
 * read, and no buffer is zeroed. Large copies go into pieces of at most {@link #MAX_PIECE_BYTES} so
 * that every piece comes from the allocator's pools.
 *
 * <p>Used by one encoding on one thread. {@link #finish} hands the frame over; {@link #discard}
 * releases it after a failure.
 */
final class FrameWriter implements Writable {

    /** Room for the fields between record sets; most responses fit in one. */
    static final int FIELD_CHUNK_BYTES = 8 * 1024;
    /** Upper bound of one direct piece, below the pooled allocator's largest pooled size. */
    static final int MAX_PIECE_BYTES = 256 * 1024;

    private final ByteBufAllocator allocator;
    private final CompositeByteBuf frame;
    private ByteBuf current;

    FrameWriter(ByteBufAllocator allocator) {
        this.allocator = allocator;
        this.frame = allocator.compositeDirectBuffer(Integer.MAX_VALUE);
    }

    /** The frame written so far; this writer must not be used afterwards. */
    ByteBuf finish() {
        closeCurrent();
        return frame;
    }

    /** Releases everything written so far. */
    void discard() {
        if (current != null) {
            current.release();
            current = null;
        }
        frame.release();
    }

    @Override
    public void writeByte(byte value) {
        room(1).writeByte(value);
    }

    @Override
    public void writeShort(short value) {
        room(2).writeShort(value);
    }

    @Override
    public void writeInt(int value) {
        room(4).writeInt(value);
    }

    @Override
    public void writeLong(long value) {
        room(8).writeLong(value);
    }

    @Override
    public void writeDouble(double value) {
        room(8).writeDouble(value);
    }

    @Override
    public void writeByteArray(byte[] bytes) {
        copy(ByteBuffer.wrap(bytes));
    }

    @Override
    public void writeByteBuffer(ByteBuffer buffer) {
        copy(buffer.duplicate());
    }

    @Override
    public void writeUnsignedVarint(int value) {
        ByteBuf out = room(5);
        int rest = value;
        while ((rest & ~0x7F) != 0) {
            out.writeByte((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out.writeByte(rest);
    }

    @Override
    public void writeVarint(int value) {
        writeUnsignedVarint((value << 1) ^ (value >> 31));
    }

    @Override
    public void writeVarlong(long value) {
        ByteBuf out = room(10);
        long rest = (value << 1) ^ (value >> 63);
        while ((rest & ~0x7FL) != 0) {
            out.writeByte((int) (rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out.writeByte((int) rest);
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records instanceof BufferSequence sequence) {
            for (ByteBuffer buffer : sequence.buffers()) {
                copy(buffer.duplicate());
            }
        } else {
            Writable.super.writeRecords(records);
        }
    }

    private void copy(ByteBuffer source) {
        while (source.hasRemaining()) {
            if (current == null || !current.isWritable()) {
                closeCurrent();
                current = allocator.directBuffer(Math.max(FIELD_CHUNK_BYTES, Math.min(source.remaining(), MAX_PIECE_BYTES)));
            }
            int length = Math.min(source.remaining(), current.writableBytes());
            int limit = source.limit();
            source.limit(source.position() + length);
            current.writeBytes(source);
            source.limit(limit);
        }
    }

    private ByteBuf room(int bytes) {
        if (current == null || current.writableBytes() < bytes) {
            closeCurrent();
            current = allocator.directBuffer(FIELD_CHUNK_BYTES);
        }
        return current;
    }

    private void closeCurrent() {
        if (current == null) {
            return;
        }
        if (current.isReadable()) {
            frame.addComponent(true, current);
        } else {
            current.release();
        }
        current = null;
    }
}
