package dev.stratus.storage.format;

import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.objects.ObjectWriter;
import dev.stratus.storage.stream.StreamRecordBatch;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Encodes batches into one object and writes it while encoding: every {@link #PIECE_BYTES} of
 * finished data blocks go to the store's {@link ObjectWriter}, and encoding goes on only once the
 * writer can take more. So an upload or a compaction output holds at most one piece of encoded
 * bytes plus what the writer buffers (a few multipart parts on S3), never the whole object. The
 * object is visible only once the writer completed; on any failure the writer is aborted.
 *
 * <p>Used once. {@link #run} encodes on the given executor (the upload thread: the store's I/O
 * threads never encode); {@link #runBlocking} encodes on the calling thread (compaction's).
 */
public final class StreamingObjectPut {

    /** Encoded bytes handed to the writer at a time: a couple of data blocks. */
    public static final long PIECE_BYTES = 1024 * 1024;

    private final ObjectEncoder encoder;
    private final Iterator<StreamRecordBatch> batches;
    private final ObjectWriter writer;

    private StreamingObjectPut(ObjectStorage storage, String key, ObjectEncoder encoder, Iterable<StreamRecordBatch> batches) {
        this.encoder = encoder;
        this.batches = batches.iterator();
        this.writer = storage.writer(key);
    }

    /**
     * Writes the object under {@code key}; completes with its size once it is visible. Encoding
     * runs on {@code executor}, between the writer's acknowledgements.
     */
    public static CompletableFuture<Long> run(ObjectStorage storage, String key, ObjectEncoder encoder,
                                              Iterable<StreamRecordBatch> batches, Executor executor) {
        StreamingObjectPut put = new StreamingObjectPut(storage, key, encoder, batches);
        return CompletableFuture.supplyAsync(put::nextPiece, executor)
                .thenCompose(piece -> put.writeFrom(piece, executor))
                .handle((size, error) -> put.abortOnFailure(size, error))
                .thenCompose(future -> future);
    }

    /** Writes the object under {@code key} on the calling thread; returns its size once it is visible. */
    public static long runBlocking(ObjectStorage storage, String key, ObjectEncoder encoder, Iterable<StreamRecordBatch> batches) {
        StreamingObjectPut put = new StreamingObjectPut(storage, key, encoder, batches);
        try {
            List<ByteBuffer> piece;
            while ((piece = put.nextPiece()) != null) {
                put.writer.write(piece).join();
            }
            put.writer.write(encoder.finishPieces()).join();
            put.writer.complete().join();
            return encoder.objectSize();
        } catch (RuntimeException e) {
            put.writer.abort().join();
            throw e;
        }
    }

    /** Adds batches until a piece is ready: returns it, or null once every batch is in (the rest is finishPieces()). */
    private List<ByteBuffer> nextPiece() {
        while (batches.hasNext()) {
            encoder.add(batches.next());
            if (encoder.pendingBytes() >= PIECE_BYTES) {
                return encoder.takeBlocks();
            }
        }
        return null;
    }

    private CompletableFuture<Long> writeFrom(List<ByteBuffer> piece, Executor executor) {
        if (piece == null) {
            return writer.write(encoder.finishPieces())
                    .thenCompose(v -> writer.complete())
                    .thenApply(v -> encoder.objectSize());
        }
        return writer.write(piece)
                .thenApplyAsync(v -> nextPiece(), executor)
                .thenCompose(next -> writeFrom(next, executor));
    }

    private CompletableFuture<Long> abortOnFailure(Long size, Throwable error) {
        if (error == null) {
            return CompletableFuture.completedFuture(size);
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return writer.abort().handle((v, abortError) -> {
            throw new CompletionException(cause);
        });
    }
}
