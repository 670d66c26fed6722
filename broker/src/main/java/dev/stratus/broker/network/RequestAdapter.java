package dev.stratus.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Decodes a frame into a request header and body, hands it to the {@link RequestHandler}, and
 * routes the reply through the connection's {@link ResponseSequencer}.
 *
 * <p>Frames whose API key no Kafka version knows, whose header is broken, or whose body does
 * not parse at the stated version close the connection with one log line, as Kafka does. The
 * one exception is ApiVersions at a version newer than we know: it is answered at version 0
 * with UNSUPPORTED_VERSION and the supported ranges, so that the client can downgrade.
 *
 * <p>Thread: one instance per connection, owned by its event loop. Replies completing on other
 * threads are encoded there and hop back to the event loop to be sequenced.
 */
final class RequestAdapter extends ChannelInboundHandlerAdapter {

    private final RequestHandler handler;
    private final int maxInFlight;
    private final AtomicInteger serverInFlight;
    private final BooleanSupplier draining;
    private ResponseSequencer sequencer;
    private boolean closing;

    RequestAdapter(RequestHandler handler, int maxInFlight, AtomicInteger serverInFlight, BooleanSupplier draining) {
        this.handler = handler;
        this.maxInFlight = maxInFlight;
        this.serverInFlight = serverInFlight;
        this.draining = draining;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        sequencer = new ResponseSequencer(ctx.channel(), maxInFlight, draining);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        sequencer.release();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!closing) {
            closing = true;
            NetworkLog.closing(ctx.channel(), "I/O error: " + cause);
        }
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuffer frame)) {
            if (msg instanceof ByteBuf buf) {
                buf.release();
            }
            return;
        }
        if (closing) {
            return;
        }
        RequestContext request = parse(ctx, frame);
        if (request == null) {
            return;
        }
        dispatch(ctx, request);
    }

    private RequestContext parse(ChannelHandlerContext ctx, ByteBuffer frame) {
        if (frame.remaining() < 8) {
            return closeBroken(ctx, "frame of " + frame.remaining() + " bytes is too short for a request header");
        }
        short apiKeyId = frame.getShort(0);
        short version = frame.getShort(2);
        if (!ApiKeys.hasId(apiKeyId)) {
            return closeBroken(ctx, "unknown API key " + apiKeyId);
        }
        ApiKeys apiKey = ApiKeys.forId(apiKeyId);
        RequestHeader header;
        try {
            header = RequestHeader.parse(frame);
        } catch (RuntimeException e) {
            return closeBroken(ctx, "unparsable " + apiKey + " v" + version + " request header: " + e);
        }
        AbstractRequest request;
        if (apiKey == ApiKeys.API_VERSIONS && !apiKey.isVersionSupported(version)) {
            request = new ApiVersionsRequest(new ApiVersionsRequestData(), (short) 0, version);
        } else {
            try {
                request = AbstractRequest.parseRequest(apiKey, version, new ByteBufferAccessor(frame)).request;
            } catch (RuntimeException e) {
                return closeBroken(ctx, "unparsable " + apiKey + " v" + version + " request (correlation id "
                        + header.correlationId() + "): " + e);
            }
        }
        return new RequestContext(header, request, ctx.executor(), ctx.channel().remoteAddress());
    }

    private RequestContext closeBroken(ChannelHandlerContext ctx, String reason) {
        closing = true;
        ResponseSequencer.Slot slot = sequencer.reserve();
        sequencer.completeWithClose(slot, reason);
        return null;
    }

    private void dispatch(ChannelHandlerContext ctx, RequestContext request) {
        ResponseSequencer.Slot slot = sequencer.reserve();
        serverInFlight.incrementAndGet();
        CompletableFuture<Reply> reply;
        try {
            reply = handler.handle(request);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        int correlationId = request.header().correlationId();
        reply.whenComplete((result, error) -> {
            Runnable step;
            if (error != null) {
                String reason = "handler failed for " + request.header().apiKey() + ": " + error;
                step = () -> sequencer.completeWithClose(slot, reason);
            } else if (result instanceof Reply.Respond respond) {
                ByteBuf encoded;
                try {
                    encoded = ResponseEncoder.encode(ctx.alloc(), correlationId, respond);
                } catch (RuntimeException e) {
                    String reason = "cannot encode " + respond.apiKey() + " v" + respond.version() + " response: " + e;
                    step = () -> sequencer.completeWithClose(slot, reason);
                    finish(ctx, step);
                    return;
                }
                step = () -> sequencer.complete(slot, encoded);
            } else if (result instanceof Reply.Close close) {
                step = () -> sequencer.completeWithClose(slot, close.reason());
            } else {
                step = () -> sequencer.complete(slot, null);
            }
            finish(ctx, step);
        });
    }

    private void finish(ChannelHandlerContext ctx, Runnable step) {
        Runnable counted = () -> {
            try {
                step.run();
            } finally {
                serverInFlight.decrementAndGet();
            }
        };
        if (ctx.executor().inEventLoop()) {
            counted.run();
        } else {
            ctx.executor().execute(counted);
        }
    }
}
