package dev.stratus.storage.objects;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes one object piece by piece, so that an object larger than the memory a caller can spare
 * is never held whole: the caller hands over consecutive pieces with {@link #write}, waiting for
 * each returned future before the next call (that wait is the back-pressure), then
 * {@link #complete()}. Nothing is visible under the key before {@code complete()} succeeded, and
 * after a failure or {@link #abort()} nothing ever is (pieces already stored, such as S3
 * multipart parts, are discarded).
 *
 * <p>Bound: an implementation holds at most a fixed number of bytes of written pieces
 * ({@link #maxBufferedBytes()}), whatever the object's size. Not thread-safe: one caller, one
 * call at a time. Obtained from {@link ObjectStorage#writer(String)}.
 */
public interface ObjectWriter {

    /**
     * Appends {@code pieces} (in order) to the object. The writer takes the buffers over: the
     * caller must not change them afterwards. Completes once the writer can take more; fails
     * when the object cannot be written any more (the writer is then aborted).
     */
    CompletableFuture<Void> write(List<ByteBuffer> pieces);

    /** Ends the object: completes once it is visible under its key with every byte written. */
    CompletableFuture<Void> complete();

    /** Gives up the object; idempotent, and harmless after a failure. Completes once storage is tidied up. */
    CompletableFuture<Void> abort();

    /** Bytes written so far. */
    long bytesWritten();

    /** Most bytes of written pieces this writer holds in memory at once. */
    long maxBufferedBytes();
}
