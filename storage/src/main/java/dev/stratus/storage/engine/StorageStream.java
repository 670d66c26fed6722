package dev.stratus.storage.engine;

import dev.stratus.storage.cache.CacheLookup;
import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.stream.FetchResult;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.wal.WalAppendResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One opening of a stream on this node (one epoch). Appends go to the WAL in call order; their
 * WAL callbacks (in order, on the WAL writer thread) put the batch in the log cache, advance
 * {@link #confirmedOffset()} and complete the caller's future. If an append fails (the WAL stayed
 * full past its append timeout, for instance), the stream stops accepting appends and fails every
 * later append already in flight, even one the WAL wrote, so that offsets never have holes; the
 * owner resumes by opening the stream again (the same epoch is allowed), which continues at
 * {@link #confirmedOffset()}. The stream does not reopen itself: its owner has state derived from
 * the failed appends (assigned offsets, producer sequences) that must be rebuilt at the same
 * moment (see the broker's {@code PartitionLeader}).
 *
 * <p>Threading: {@link #append} from the owner's thread; confirmation state written only by the
 * WAL writer thread; reads and getters from any thread.
 */
final class StorageStream implements Stream {

    private static final Logger LOG = LoggerFactory.getLogger(StorageStream.class);

    enum State { OPEN, FAILED, FENCED, CLOSED }

    private final StreamStorageEngine engine;
    private final long streamId;
    private final long epoch;
    private final CopyOnWriteArrayList<ConfirmListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    private volatile State state = State.OPEN;
    /** Set by the first failed append and never cleared (closing must not let a later in-flight append succeed). */
    private volatile boolean appendFailed;
    private volatile long startOffset;
    private volatile long nextOffset;
    private volatile long confirmedOffset;

    StorageStream(StreamStorageEngine engine, long streamId, long epoch, long startOffset, long confirmedOffset) {
        this.engine = engine;
        this.streamId = streamId;
        this.epoch = epoch;
        this.startOffset = startOffset;
        this.nextOffset = confirmedOffset;
        this.confirmedOffset = confirmedOffset;
    }

    @Override
    public long streamId() {
        return streamId;
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public long startOffset() {
        return startOffset;
    }

    @Override
    public long nextOffset() {
        return nextOffset;
    }

    @Override
    public long confirmedOffset() {
        return confirmedOffset;
    }

    State state() {
        return state;
    }

    @Override
    public CompletableFuture<Long> append(StreamRecordBatch batch) {
        // Count the append before looking at the state: stopAppends() sets the state, then looks at the count.
        inFlight.incrementAndGet();
        try {
            return appendCounted(batch);
        } catch (RuntimeException e) {
            appendDone();
            throw e;
        }
    }

    private CompletableFuture<Long> appendCounted(StreamRecordBatch batch) {
        State current = state;
        if (current != State.OPEN) {
            appendDone();
            return failed(stateError(current));
        }
        StreamException invalid = validate(batch);
        if (invalid != null) {
            appendDone();
            return failed(invalid);
        }
        StreamRecordBatch stamped = batch.epoch() == epoch ? batch
                : new StreamRecordBatch(streamId, epoch, batch.baseOffset(), batch.count(), batch.payloadView());
        nextOffset = stamped.nextOffset();
        CompletableFuture<Long> future = new CompletableFuture<>();
        engine.wal().append(stamped, (result, error) -> walCompleted(stamped, result, error, future));
        return future;
    }

    private StreamException validate(StreamRecordBatch batch) {
        if (batch.streamId() != streamId) {
            return new StreamException(StreamErrorCode.UNEXPECTED, "batch of stream " + batch.streamId()
                    + " appended to stream " + streamId);
        }
        if (batch.baseOffset() != nextOffset) {
            return new StreamException(StreamErrorCode.OFFSET_MISMATCH, "stream " + streamId + " expects offset "
                    + nextOffset + ", got " + batch.baseOffset());
        }
        if (batch.sizeInBytes() > engine.config().maxRecordBytes()) {
            return new StreamException(StreamErrorCode.RECORD_TOO_LARGE, "batch of " + batch.sizeInBytes()
                    + " bytes exceeds the limit of " + engine.config().maxRecordBytes());
        }
        return null;
    }

    private void appendDone() {
        if (inFlight.decrementAndGet() == 0 && state != State.OPEN) {
            drained.complete(null);
        }
    }

    /** On the WAL writer thread (or the caller's, for an immediate rejection), in append order. */
    private void walCompleted(StreamRecordBatch batch, WalAppendResult result, Throwable error, CompletableFuture<Long> future) {
        try {
            if (error != null) {
                appendFailed = true;
                if (state == State.OPEN) {
                    state = State.FAILED;
                    LOG.warn("stream {} epoch {}: append at offset {} failed, the stream must be reopened: {}",
                            streamId, epoch, batch.baseOffset(), error.toString());
                }
                future.completeExceptionally(error);
                return;
            }
            if (appendFailed) {
                future.completeExceptionally(new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE,
                        "an earlier append of stream " + streamId + " failed"));
                return;
            }
            engine.cache().put(batch, result.position(), result.endPosition());
            confirmedOffset = batch.nextOffset();
            for (ConfirmListener listener : listeners) {
                try {
                    listener.confirmed(streamId, batch.nextOffset());
                } catch (RuntimeException e) {
                    LOG.error("confirm listener of stream {} failed", streamId, e);
                }
            }
            future.complete(batch.baseOffset());
            engine.uploadAgent().appended(result.endPosition());
        } finally {
            appendDone();
        }
    }

    @Override
    public CompletableFuture<FetchResult> fetch(long start, long end, int maxBytes) {
        long first = startOffset;
        long next = nextOffset;
        long confirmed = confirmedOffset;
        if (start < first || start > next) {
            return failed(new StreamException(StreamErrorCode.OFFSET_OUT_OF_RANGE, "stream " + streamId + " holds offsets "
                    + first + ".." + next + ", fetch asked for " + start));
        }
        long limit = Math.min(end, confirmed);
        if (start >= limit) {
            return CompletableFuture.completedFuture(new FetchResult(List.of(), first, confirmed));
        }
        CacheLookup lookup = engine.cache().lookup(streamId, start, limit, maxBytes);
        switch (lookup.kind()) {
            case RESIDENT:
                return CompletableFuture.completedFuture(new FetchResult(lookup.batches(), first, confirmed));
            case WAL:
                // Confirmed but evicted from memory before it was uploaded: read it back from the WAL.
                return engine.objectFetcher().fetchEvicted(lookup.segment(), start, limit, maxBytes)
                        .thenApply(batches -> new FetchResult(batches, first, confirmed));
            default:
                break;
        }
        long cacheStart = engine.cache().startOffset(streamId);
        long objectsEnd = cacheStart >= 0 && cacheStart > start ? Math.min(limit, cacheStart) : limit;
        return engine.objectFetcher().fetch(streamId, start, objectsEnd, maxBytes).thenCompose(batches -> {
            FetchResult fromObjects = new FetchResult(batches, first, confirmed);
            int bytes = fromObjects.sizeInBytes();
            long reached = batches.isEmpty() ? start : batches.get(batches.size() - 1).nextOffset();
            long cached = engine.cache().startOffset(streamId);
            if (batches.isEmpty() || bytes >= maxBytes || reached >= limit || cached < 0 || reached < cached) {
                return CompletableFuture.completedFuture(fromObjects);
            }
            // The objects end where the log cache begins: go on there (memory, or the WAL) with what is left of the budget.
            return fetch(reached, limit, maxBytes - bytes).handle((rest, error) -> {
                if (error != null || rest.batches().isEmpty()) {
                    return fromObjects;
                }
                List<StreamRecordBatch> all = new ArrayList<>(batches);
                all.addAll(rest.batches());
                return new FetchResult(all, first, confirmed);
            });
        });
    }

    @Override
    public CompletableFuture<Void> trim(long newStartOffset) {
        State current = state;
        if (current == State.FENCED || current == State.CLOSED) {
            return failed(stateError(current));
        }
        if (newStartOffset > nextOffset) {
            return failed(new StreamException(StreamErrorCode.OFFSET_OUT_OF_RANGE, "cannot trim stream " + streamId
                    + " to " + newStartOffset + ", beyond its end " + nextOffset));
        }
        StreamMetadataStore metadata = engine.metadata();
        return metadata.trimStream(streamId, epoch, newStartOffset).thenRun(() -> {
            if (newStartOffset > startOffset) {
                startOffset = newStartOffset;
            }
        });
    }

    @Override
    public void onConfirm(ConfirmListener listener) {
        listeners.add(listener);
    }

    @Override
    public CompletableFuture<Void> close() {
        if (state == State.FENCED || state == State.CLOSED) {
            return failed(stateError(state));
        }
        stopAppends(State.CLOSED);
        return drained.thenCompose(v -> engine.uploadStream(streamId))
                .thenCompose(v -> engine.metadata().closeStream(streamId, epoch))
                .thenRun(() -> engine.closed(this));
    }

    /** Stops new appends in the given state; completes once appends in flight are done. */
    CompletableFuture<Void> stopAppends(State newState) {
        state = newState;
        if (inFlight.get() == 0) {
            drained.complete(null);
        }
        return drained;
    }

    private StreamException stateError(State current) {
        return switch (current) {
            case FENCED -> new StreamException(StreamErrorCode.FENCED, "stream " + streamId + " epoch " + epoch
                    + " was opened again with a higher epoch");
            case CLOSED -> new StreamException(StreamErrorCode.STREAM_CLOSED, "stream " + streamId + " is closed");
            case FAILED -> new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, "stream " + streamId
                    + " stopped after a failed append; open it again");
            case OPEN -> throw new IllegalStateException("open");
        };
    }

    private static <T> CompletableFuture<T> failed(Throwable error) {
        return CompletableFuture.failedFuture(error);
    }
}
