package dev.stratus.storage.wal;

import dev.stratus.storage.stream.StreamRecordBatch;

import java.util.concurrent.CompletableFuture;

/**
 * A write-ahead log of stream batches: an append is acknowledged only once durable. Records
 * have logical positions that only grow; {@link #trim} releases everything below a position
 * once it is safe in object storage. Implementations: {@link FileWriteAheadLog} (a preallocated
 * file used as a ring) and {@link ObjectWriteAheadLog} (objects in object storage, recoverable by
 * any node); {@link WriteAheadLogFactory} builds the configured one.
 *
 * <p>Lifecycle: {@link #start()} recovers what a previous run left (between the last trim point
 * and the first torn or corrupt record) and starts the writer; then {@link #append}; then
 * {@link #close()}. Thread-safe.
 */
public interface WriteAheadLog extends AutoCloseable {

    /** Recovers the log and starts accepting appends. Records in the recovered range stay readable until trimmed. */
    WalRecoveryResult start();

    /**
     * Appends one batch. {@code callback} runs once the batch is durable, or failed with a
     * {@link dev.stratus.storage.stream.StreamException} ({@code RECORD_TOO_LARGE},
     * {@code STORAGE_UNAVAILABLE} when the log stays full past the append timeout, ...).
     * Callbacks run in append order on the writer thread (immediate rejections run on the caller's).
     */
    void append(StreamRecordBatch batch, WalAppendCallback callback);

    /** Future form of {@link #append(StreamRecordBatch, WalAppendCallback)}. */
    default CompletableFuture<WalAppendResult> append(StreamRecordBatch batch) {
        CompletableFuture<WalAppendResult> future = new CompletableFuture<>();
        append(batch, (result, error) -> {
            if (error != null) {
                future.completeExceptionally(error);
            } else {
                future.complete(result);
            }
        });
        return future;
    }

    /** Completes once every append made before this call has completed (callbacks included). */
    CompletableFuture<Void> barrier();

    /**
     * Reads the records in {@code [fromPosition, toPosition)}, stopping after about
     * {@code maxBytes} of payload (at least one record). {@code fromPosition} must be a record
     * boundary at or above the trim position; {@code toPosition} a durable record boundary (the
     * {@link WalAppendResult#endPosition()} of an acknowledged append, or {@link #confirmedPosition()}).
     */
    WalReadResult read(long fromPosition, long toPosition, long maxBytes);

    /** Releases everything below {@code position} (a record boundary); completes once the new trim point is durable. */
    CompletableFuture<Void> trim(long position);

    /** Position of the oldest record not yet trimmed. */
    long trimPosition();

    /** End of the durable records whose callbacks have all run. */
    long confirmedPosition();

    /** Bytes the log can hold. */
    long capacity();

    /** Stops the writer; pending appends fail with STORAGE_UNAVAILABLE. Durable data stays for the next start. */
    @Override
    void close();
}
