package dev.stratus.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * Encodes a response as a Kafka frame: 4-byte size, response header, body, written by a
 * {@link FrameWriter} into pooled direct buffers (record bytes copied once, nothing zeroed).
 * Stateless; runs on whichever thread completed the request.
 */
final class ResponseEncoder {

    private ResponseEncoder() {
    }

    static ByteBuf encode(ByteBufAllocator allocator, int correlationId, Reply.Respond respond) {
        short headerVersion = respond.apiKey().responseHeaderVersion(respond.version());
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        MessageSizeAccumulator size = new MessageSizeAccumulator();
        header.addSize(size, cache, headerVersion);
        respond.body().addSize(size, cache, respond.version());
        FrameWriter writer = new FrameWriter(allocator);
        try {
            writer.writeInt(size.totalSize());
            header.write(writer, cache, headerVersion);
            respond.body().write(writer, cache, respond.version());
        } catch (RuntimeException e) {
            writer.discard();
            throw e;
        }
        ByteBuf frame = writer.finish();
        if (frame.readableBytes() != 4 + size.totalSize()) {
            int written = frame.readableBytes();
            frame.release();
            throw new IllegalStateException("encoded " + written + " bytes, expected " + (4 + size.totalSize()));
        }
        return frame;
    }
}
