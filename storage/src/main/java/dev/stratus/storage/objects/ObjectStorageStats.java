package dev.stratus.storage.objects;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every object storage call by type: how many, how many bytes, how long in total, a
 * latency histogram, and for stores that retry ({@code s3}) how many calls failed and how many
 * were retries. The cost model and (later) the Prometheus metrics read these counters.
 *
 * <p>What one "call" is: one request the store is billed for. The {@code s3} store records
 * every HTTP request, attempts and multipart parts included ({@code CreateMultipartUpload},
 * each {@code UploadPart} and {@code CompleteMultipartUpload} are PUTs, each page of a listing
 * is a LIST, each {@code DeleteObjects} batch a DELETE). Thread-safe.
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
        counter.latency.record(latencyNanos);
    }

    /** Records a call that failed (it is also counted by {@link #record}). */
    public void recordError(CallType type) {
        counters.get(type).errors.increment();
    }

    /** Records that a failed call is being tried again (the new attempt is counted by {@link #record} when it ends). */
    public void recordRetry(CallType type) {
        counters.get(type).retries.increment();
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

    public long errors(CallType type) {
        return counters.get(type).errors.sum();
    }

    public long retries(CallType type) {
        return counters.get(type).retries.sum();
    }

    /** Retries of every type. */
    public long totalRetries() {
        long total = 0;
        for (Counter counter : counters.values()) {
            total += counter.retries.sum();
        }
        return total;
    }

    public LatencyHistogram latency(CallType type) {
        return counters.get(type).latency;
    }

    private static final class Counter {
        final LongAdder calls = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder latencyNanos = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder retries = new LongAdder();
        final LatencyHistogram latency = new LatencyHistogram();
    }
}
