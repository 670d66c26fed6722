package dev.stratus.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * First handler of a connection on a shared port: waits for the first bytes, then either hands
 * the connection to the {@link PortSharing} protocol that claims them (replacing the Kafka
 * handlers) or leaves it to Kafka. Either way it removes itself, and the bytes it held go on to
 * the handler that now serves the connection.
 *
 * <p>Thread: one instance per connection, owned by its event loop.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {

    private final PortSharing sharing;
    private final String[] kafkaHandlers;

    ProtocolSniffer(PortSharing sharing, String... kafkaHandlers) {
        this.sharing = sharing;
        this.kafkaHandlers = kafkaHandlers;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < sharing.prefixBytes()) {
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        if (sharing.claims(in)) {
            for (String name : kafkaHandlers) {
                pipeline.remove(name);
            }
            pipeline.addAfter(ctx.name(), "shared-protocol", sharing.takeOver());
        }
        // On removal the bytes read so far are passed to the next handler.
        pipeline.remove(this);
    }
}
