package dev.stratus.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.requests.RequestUtils;

/**
 * Encodes a response as a Kafka frame: 4-byte size, response header, body. Stateless; runs on
 * whichever thread completed the request, so that event loops only copy bytes to sockets.
 */
final class ResponseEncoder {

    private ResponseEncoder() {
    }

    static ByteBuf encode(int correlationId, Reply.Respond respond) {
        short headerVersion = respond.apiKey().responseHeaderVersion(respond.version());
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        ByteBuffer body = RequestUtils.serialize(header, headerVersion, respond.body(), respond.version());
        ByteBuf size = Unpooled.buffer(4, 4).writeInt(body.remaining());
        return Unpooled.wrappedBuffer(size, Unpooled.wrappedBuffer(body));
    }
}
