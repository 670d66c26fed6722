package dev.stratus.storage.stream;

import java.util.concurrent.CompletableFuture;

/**
 * An append-only sequence of batches with logical offsets, opened by exactly one owner at a
 * time and fenced by an epoch: once someone opens the stream with a higher epoch, every later
 * commit of this opener fails with {@link StreamErrorCode#FENCED}.
 *
 * <p>Threading: {@link #append} must be called by one thread at a time (the owner, e.g. a
 * partition's agent) because offsets are assigned in call order. {@link #fetch} and the
 * offset getters may be called from any thread. Futures complete on storage threads; callers
 * must not block on them from an event loop.
 *
 * <p>Failures are delivered as futures completed with {@link StreamException}.
 */
public interface Stream {

    long streamId();

    /** The epoch this stream was opened with. */
    long epoch();

    /** First readable offset; everything below was trimmed. */
    long startOffset();

    /** The offset the next append gets (the end offset of everything appended so far). */
    long nextOffset();

    /**
     * Everything below this offset is durable (in the WAL or committed to object storage) and
     * readable; this is what Kafka calls the high watermark on a single node.
     */
    long confirmedOffset();

    /**
     * Appends one batch. {@code batch.baseOffset()} must equal {@link #nextOffset()} at call
     * time, otherwise the future fails with {@link StreamErrorCode#OFFSET_MISMATCH}; on
     * acceptance {@code nextOffset()} advances immediately, before durability.
     *
     * @return completes with the base offset once the batch is durable, never before
     */
    CompletableFuture<Long> append(StreamRecordBatch batch);

    /**
     * Reads whole batches covering {@code [startOffset, endOffset)} up to about {@code maxBytes}
     * (at least one batch when any is readable, even if larger than {@code maxBytes}). Only
     * durable data is returned: reads stop at {@link #confirmedOffset()}. Reading below
     * {@link #startOffset()} or above {@link #nextOffset()} fails with
     * {@link StreamErrorCode#OFFSET_OUT_OF_RANGE}.
     */
    CompletableFuture<FetchResult> fetch(long startOffset, long endOffset, int maxBytes);

    /** Moves the start offset forward; data below it becomes unreadable and is later deleted. */
    CompletableFuture<Void> trim(long newStartOffset);

    /** Registers a callback run (on a storage thread) each time {@link #confirmedOffset()} advances. */
    void onConfirm(ConfirmListener listener);

    /** Uploads this stream's WAL data, commits it, and releases ownership. */
    CompletableFuture<Void> close();

    /** Callback for durable progress; must be cheap and never block. */
    @FunctionalInterface
    interface ConfirmListener {
        void confirmed(long streamId, long confirmedOffset);
    }
}
