package dev.stratus.broker.partition;

import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes produced to and fetched from one partition led here, counted since it opened: what a
 * broker's heartbeat reports so that the controller sees each partition's load. Bytes in are
 * counted when an append is handed to the stream (on the partition's agent), bytes out when a
 * fetch answers (on an event loop). Thread-safe.
 */
public final class PartitionTraffic {

    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    void recordIn(long bytes) {
        bytesIn.add(bytes);
    }

    public void recordOut(long bytes) {
        bytesOut.add(bytes);
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }
}
