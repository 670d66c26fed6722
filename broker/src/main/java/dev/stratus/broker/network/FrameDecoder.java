package dev.stratus.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the inbound byte stream into Kafka request frames: a 4-byte big-endian size followed
 * by that many bytes. Each frame is copied into its own heap {@link ByteBuffer} so that request
 * objects (and the record batches they slice) never point into pooled Netty memory.
 *
 * <p>A size below zero or above {@code socket.request.max.bytes} closes the connection before
 * anything is allocated for the frame.
 *
 * <p>Thread: owned by the connection's event loop.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);
    private static final int SIZE_BYTES = 4;

    private final int maxFrameBytes;
    private boolean broken;

    FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < SIZE_BYTES) {
            return;
        }
        int size = in.getInt(in.readerIndex());
        if (size < 0 || size > maxFrameBytes) {
            broken = true;
            in.skipBytes(in.readableBytes());
            LOG.warn("Closing connection from {}: frame size {} outside [0, {}] (socket.request.max.bytes)",
                    ctx.channel().remoteAddress(), size, maxFrameBytes);
            ctx.close();
            return;
        }
        if (in.readableBytes() < SIZE_BYTES + size) {
            return;
        }
        in.skipBytes(SIZE_BYTES);
        byte[] frame = new byte[size];
        in.readBytes(frame);
        out.add(ByteBuffer.wrap(frame));
    }
}
