package dev.stratus.storage.objects;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every object storage call by type: how many, how many bytes, how long in total.
 * The cost model and (later) the Prometheus metrics read these counters. Thread-safe.
 */
public final class ObjectStorageStats {

    /** The kinds of call we pay for. */
    public enum CallType { PUT, GET, HEAD, LIST, DELETE }

    private final Map<CallType, Counter> counters = new EnumMap<>(CallType.class);

    public ObjectStorageStats() {
        for (CallType type : CallType.values()) {
            counters.put(type, new Counter());
        }
    }

    public void record(CallType type, long bytes, long latencyNanos) {
        Counter counter = counters.get(type);
        counter.calls.increment();
        counter.bytes.add(bytes);
        counter.latencyNanos.add(latencyNanos);
    }

    public long calls(CallType type) {
        return counters.get(type).calls.sum();
    }

    public long bytes(CallType type) {
        return counters.get(type).bytes.sum();
    }

    public long totalLatencyNanos(CallType type) {
        return counters.get(type).latencyNanos.sum();
    }

    private static final class Counter {
        final LongAdder calls = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder latencyNanos = new LongAdder();
    }
}
