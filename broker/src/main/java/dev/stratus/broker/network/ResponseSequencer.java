package dev.stratus.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * Writes a connection's responses in request order. Kafka clients pipeline requests and match
 * responses by order, so a response that is ready early waits for every earlier one.
 *
 * <p>Also applies back-pressure: with {@code maxInFlight} requests outstanding the channel
 * stops reading until the oldest completes; while the server drains it never resumes reading.
 *
 * <p>Thread: owned by the connection's event loop; every method must be called on it.
 */
final class ResponseSequencer {

    /** One request's place in line. */
    static final class Slot {
        private boolean done;
        private ByteBuf response;
        private boolean close;
        private String closeReason;
    }

    private final Channel channel;
    private final int maxInFlight;
    private final BooleanSupplier draining;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private boolean closing;

    ResponseSequencer(Channel channel, int maxInFlight, BooleanSupplier draining) {
        this.channel = channel;
        this.maxInFlight = maxInFlight;
        this.draining = draining;
    }

    Slot reserve() {
        Slot slot = new Slot();
        slots.addLast(slot);
        if (slots.size() >= maxInFlight) {
            channel.config().setAutoRead(false);
        }
        return slot;
    }

    int outstanding() {
        return slots.size();
    }

    /** Completes a slot with an encoded response (ownership passes here), or none when null. */
    void complete(Slot slot, ByteBuf response) {
        slot.done = true;
        slot.response = response;
        drain();
    }

    /** Completes a slot with "close the connection after every earlier response". */
    void completeWithClose(Slot slot, String reason) {
        slot.done = true;
        slot.close = true;
        slot.closeReason = reason;
        drain();
    }

    /** Releases whatever is still queued; called when the channel goes away. */
    void release() {
        for (Slot slot : slots) {
            if (slot.response != null) {
                ReferenceCountUtil.release(slot.response);
                slot.response = null;
            }
        }
        slots.clear();
    }

    private void drain() {
        boolean wrote = false;
        while (!slots.isEmpty() && slots.peekFirst().done) {
            Slot head = slots.pollFirst();
            if (closing || !channel.isActive()) {
                if (head.response != null) {
                    ReferenceCountUtil.release(head.response);
                }
                continue;
            }
            if (head.response != null) {
                channel.write(head.response);
                wrote = true;
            }
            if (head.close) {
                closing = true;
                NetworkLog.closing(channel, head.closeReason);
                channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                wrote = false;
            }
        }
        if (wrote) {
            channel.flush();
        }
        if (!closing && !draining.getAsBoolean() && slots.size() < maxInFlight && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }
}
