package dev.stratus.broker.network;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a connection, byte for byte, to another server (on a shared port, a connection meant
 * for a server that listens privately behind it). The second connection is opened on the same
 * event loop, so both directions run on one thread; each direction stops reading while the
 * other side cannot take more (back-pressure), and either side closing closes the other once
 * what it sent has been written.
 *
 * <p>Thread: one instance per relayed connection, owned by its event loop.
 */
final class ConnectionRelay extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRelay.class);

    private final Supplier<InetSocketAddress> target;
    /** What arrived before the connection to the target was up; bounded by one read, since reading stops at once. */
    private final ArrayDeque<Object> early = new ArrayDeque<>();
    private Channel outbound;

    /** @param target where to relay, asked per connection (null: the target is not up, the connection is closed) */
    ConnectionRelay(Supplier<InetSocketAddress> target) {
        this.target = target;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        Channel inbound = ctx.channel();
        inbound.config().setAutoRead(false);
        InetSocketAddress address = target.get();
        if (address == null) {
            LOG.debug("Closing a connection from {}: nothing to relay it to yet", inbound.remoteAddress());
            inbound.close();
            return;
        }
        new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new Backward(inbound))
                .connect(address)
                .addListener((ChannelFutureListener) connected -> {
                    if (!connected.isSuccess()) {
                        LOG.debug("Relay of {} to {} failed: {}", inbound.remoteAddress(), address, connected.cause().toString());
                        releaseEarly();
                        inbound.close();
                        return;
                    }
                    outbound = connected.channel();
                    if (!inbound.isActive()) {
                        releaseEarly();
                        outbound.close();
                        return;
                    }
                    while (!early.isEmpty()) {
                        outbound.write(early.poll());
                    }
                    outbound.flush();
                    inbound.config().setAutoRead(true);
                });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (outbound == null) {
            early.add(msg);
        } else {
            outbound.write(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (outbound != null) {
            outbound.flush();
            if (!outbound.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // The client cannot take more of what the target sends: stop reading the target until it can.
        if (outbound != null) {
            outbound.config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseEarly();
        if (outbound != null) {
            closeOnFlush(outbound);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Relayed connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void releaseEarly() {
        while (!early.isEmpty()) {
            ReferenceCountUtil.release(early.poll());
        }
    }

    private static void closeOnFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The target's side: what it sends goes back to the client. */
    private static final class Backward extends ChannelInboundHandlerAdapter {

        private final Channel inbound;

        Backward(Channel inbound) {
            this.inbound = inbound;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            inbound.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            inbound.flush();
            if (!inbound.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // The target cannot take more of what the client sends: stop reading the client until it can.
            inbound.config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeOnFlush(inbound);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("Relay target connection for {} failed: {}", inbound.remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
