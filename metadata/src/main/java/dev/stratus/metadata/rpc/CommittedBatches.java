package dev.stratus.metadata.rpc;

import dev.stratus.metadata.log.MetadataLogListener;
import dev.stratus.metadata.record.MetadataRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The recent committed batches of a controller member, kept so that brokers can fetch what
 * they have not applied yet: sits between the metadata log and the member's own listener,
 * remembers the last {@code capacity} batches, and wakes fetches waiting for the next one. A
 * fetch from before the oldest batch kept is answered with a snapshot instead.
 *
 * <p>Thread: the log calls in on its apply thread; fetches read from any thread. Guarded by this.
 */
public final class CommittedBatches implements MetadataLogListener {

    private final MetadataLogListener delegate;
    private final int capacity;
    private final Deque<ControllerResponse.Batch> recent = new ArrayDeque<>();
    private final List<CompletableFuture<Void>> waiting = new ArrayList<>();
    /** Offsets up to this are covered by what the delegate holds; batches kept start after it or earlier. */
    private long lastOffset = -1;
    /** The offset a fetch must be at or after to be answered with batches; below it, a snapshot. */
    private long oldestAfter = -1;

    public CommittedBatches(MetadataLogListener delegate, int capacity) {
        this.delegate = delegate;
        this.capacity = capacity;
    }

    @Override
    public void onCommit(long offset, List<MetadataRecord> records) {
        delegate.onCommit(offset, records);
        List<CompletableFuture<Void>> wake;
        synchronized (this) {
            recent.addLast(new ControllerResponse.Batch(offset, records));
            while (recent.size() > capacity) {
                oldestAfter = recent.removeFirst().offset();
            }
            lastOffset = offset;
            wake = List.copyOf(waiting);
            waiting.clear();
        }
        wake.forEach(f -> f.complete(null));
    }

    @Override
    public void onSnapshot(long offset, List<MetadataRecord> records) {
        delegate.onSnapshot(offset, records);
        synchronized (this) {
            recent.clear();
            lastOffset = offset;
            oldestAfter = offset;
        }
    }

    @Override
    public List<MetadataRecord> snapshot() {
        return delegate.snapshot();
    }

    /**
     * The batches after {@code afterOffset}, or null when some of them are no longer kept (the
     * caller needs a snapshot).
     */
    public synchronized List<ControllerResponse.Batch> after(long afterOffset) {
        if (afterOffset < oldestAfter) {
            return null;
        }
        List<ControllerResponse.Batch> batches = new ArrayList<>();
        for (ControllerResponse.Batch batch : recent) {
            if (batch.offset() > afterOffset) {
                batches.add(batch);
            }
        }
        return batches;
    }

    /** Completes when a batch after {@code afterOffset} is committed (at once if one is). */
    public synchronized CompletableFuture<Void> awaitAfter(long afterOffset) {
        if (lastOffset > afterOffset) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> next = new CompletableFuture<>();
        waiting.add(next);
        return next;
    }
}
