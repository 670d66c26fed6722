package dev.stratus.broker.partition;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Producer ids {@code ((startMillis << 10) + n) << 12 | nodeId & 0xfff} for the n-th id since
 * start, so that a restart (a later start time) never re-issues an id as long as fewer than
 * 2^10 ids per millisecond of uptime are handed out, and two nodes never collide. A stand-in
 * until the controller allocates id blocks (Kafka's AllocateProducerIds).
 *
 * <p>Thread-safe.
 */
public final class ClockSeededProducerIdAllocator implements ProducerIdAllocator {

    private final AtomicLong next;

    public ClockSeededProducerIdAllocator(Clock clock, int nodeId) {
        // 41 bits of millis, then 10 bits per millisecond of uptime, node id in the low 12 bits.
        long startMillis = clock.millis();
        this.next = new AtomicLong(((startMillis << 10) << 12) | (nodeId & 0xfff));
    }

    @Override
    public long nextProducerId() {
        return next.getAndAdd(1L << 12) & Long.MAX_VALUE;
    }
}
