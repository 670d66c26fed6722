package dev.stratus.storage.objects.s3;

import dev.stratus.storage.objects.ObjectStorageException;
import dev.stratus.storage.objects.ObjectWriter;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The streamed write of one object to S3 ({@link S3ObjectStorage#writer}). Pieces are copied
 * into a part buffer of the configured part size; once a part is full and more bytes arrive, it
 * becomes the next part of an {@link S3MultipartUpload} (created with that first part), with at
 * most {@value #PARTS_IN_FLIGHT} parts uploading at once. An object that ends within the first
 * part is sent with one {@code PutObject} at {@link #complete()}, as {@link S3ObjectStorage#put}
 * would; a larger one gets its last part and {@code CompleteMultipartUpload} there. A failure or
 * {@link #abort()} aborts the multipart upload once its parts in flight settled.
 *
 * <p>Memory: at most {@value #PARTS_IN_FLIGHT} parts uploading and one filling, so
 * {@link #maxBufferedBytes()} is three part sizes (48 MiB with the default 16 MiB parts) whatever
 * the object's size; {@link #write}'s future waits while a full part has no room in the window.
 * The pieces themselves are copied, so the caller's buffers (which may be views of larger ones)
 * are released as soon as the write completes. The first part buffer starts at 1 MiB and grows,
 * so a small object does not cost a whole part.
 *
 * <p>Threading: one caller, one call at a time (as {@link ObjectWriter} says); a write that waited
 * for room goes on on an SDK completion thread. The state is guarded by this object's lock, and
 * the upload is called outside it, so that an {@link #abort()} from another thread while a write
 * waits is safe.
 */
final class S3ObjectWriter implements ObjectWriter {

    /** Parts of one streamed object uploaded at once: with the part filling, three parts in memory. */
    static final int PARTS_IN_FLIGHT = 2;
    private static final int FIRST_BUFFER_BYTES = 1 << 20;

    private final S3ObjectStorage storage;
    private final String key;
    private final int partSizeBytes;
    /** The part being filled (position = bytes in it); null before the first byte and after a part left. */
    private ByteBuffer filling;
    /** Null until the first part is full and more bytes arrive. */
    private S3MultipartUpload upload;
    private long bytesWritten;
    private boolean writing;
    private boolean ended;
    private CompletableFuture<Void> completion;
    private CompletableFuture<Void> abortion;

    S3ObjectWriter(S3ObjectStorage storage, String key) {
        long partSize = storage.config().partSizeBytes();
        if (partSize > Integer.MAX_VALUE - 8) {
            // One part is one heap buffer here; S3Config allows up to 5 GiB parts for put() of huge buffers.
            throw new IllegalArgumentException("a streamed write needs parts of at most 2 GiB, not " + partSize);
        }
        this.storage = storage;
        this.key = key;
        this.partSizeBytes = (int) partSize;
    }

    @Override
    public CompletableFuture<Void> write(List<ByteBuffer> pieces) {
        Deque<ByteBuffer> queue = new ArrayDeque<>(pieces.size());
        long incoming = 0;
        for (ByteBuffer piece : pieces) {
            queue.add(piece.duplicate());
            incoming += piece.remaining();
        }
        IllegalArgumentException tooLarge = null;
        synchronized (this) {
            if (ended) {
                return CompletableFuture.failedFuture(new IllegalStateException("writer of " + key + " already ended (completed, aborted or failed)"));
            }
            if (writing) {
                return CompletableFuture.failedFuture(new IllegalStateException("a write of " + key + " is still in progress"));
            }
            if (bytesWritten + incoming > (long) S3ObjectStorage.MAX_PARTS * partSizeBytes) {
                tooLarge = new IllegalArgumentException(key + ": " + (bytesWritten + incoming) + " bytes need more than "
                        + S3ObjectStorage.MAX_PARTS + " parts of " + partSizeBytes + " bytes; raise s3.multipart.part.size.bytes");
            } else {
                writing = true;
            }
        }
        if (tooLarge != null) {
            abort();
            return CompletableFuture.failedFuture(tooLarge);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        pump(queue, result);
        return result;
    }

    /** Copies pieces into parts and hands full parts to the upload, until the pieces are used up or the window is full. */
    private void pump(Deque<ByteBuffer> queue, CompletableFuture<Void> result) {
        while (true) {
            S3MultipartUpload target;
            ByteBuffer part;
            synchronized (this) {
                if (abortion != null) {
                    writing = false;
                    result.completeExceptionally(new IllegalStateException("writer of " + key + " was aborted"));
                    return;
                }
                copyFrom(queue);
                if (queue.isEmpty()) {
                    writing = false;
                    result.complete(null);
                    return;
                }
                // A full part and more bytes to come: the object needs a multipart upload.
                if (upload == null) {
                    upload = storage.multipartUpload(key, false, PARTS_IN_FLIGHT);
                }
                target = upload;
                part = filling.flip();
                filling = null;
            }
            CompletableFuture<Void> room = target.addPart(part);
            if (!room.isDone()) {
                room.whenComplete((v, error) -> {
                    if (error != null) {
                        failed(result, error);
                    } else {
                        pump(queue, result);
                    }
                });
                return;
            }
            if (room.isCompletedExceptionally()) {
                room.whenComplete((v, error) -> failed(result, error));
                return;
            }
        }
    }

    /** Copies from the pieces until they are used up or the part is full. Holds the lock. */
    private void copyFrom(Deque<ByteBuffer> queue) {
        while (!queue.isEmpty()) {
            ByteBuffer piece = queue.peekFirst();
            if (!piece.hasRemaining()) {
                queue.pollFirst();
                continue;
            }
            if (filling != null && filling.position() == partSizeBytes) {
                return;
            }
            makeRoom(piece.remaining());
            int length = Math.min(piece.remaining(), filling.remaining());
            filling.put(filling.position(), piece, piece.position(), length);
            filling.position(filling.position() + length);
            piece.position(piece.position() + length);
            bytesWritten += length;
        }
    }

    /** Makes {@code filling} a buffer with room, growing the first part (the object may stay smaller than a part). */
    private void makeRoom(int wanted) {
        if (filling == null) {
            int capacity = upload == null ? Math.min(partSizeBytes, Math.max(FIRST_BUFFER_BYTES, wanted)) : partSizeBytes;
            filling = ByteBuffer.allocate(capacity);
        } else if (!filling.hasRemaining()) {
            int capacity = (int) Math.min(partSizeBytes, Math.max(2L * filling.capacity(), (long) filling.position() + wanted));
            ByteBuffer grown = ByteBuffer.allocate(capacity);
            grown.put(filling.flip());
            filling = grown;
        }
    }

    /** The upload failed under a write: aborted (as {@link ObjectWriter} promises), then the write fails with the cause. */
    private void failed(CompletableFuture<Void> result, Throwable error) {
        synchronized (this) {
            writing = false;
        }
        Throwable cause = ObjectStorageException.unwrap(error);
        abort().whenComplete((v, abortError) -> result.completeExceptionally(cause));
    }

    @Override
    public CompletableFuture<Void> complete() {
        S3MultipartUpload target;
        ByteBuffer last;
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            if (ended) {
                return CompletableFuture.failedFuture(new IllegalStateException("writer of " + key + " already ended (completed, aborted or failed)"));
            }
            if (writing) {
                return CompletableFuture.failedFuture(new IllegalStateException("a write of " + key + " is still in progress"));
            }
            ended = true;
            completion = done;
            target = upload;
            last = filling == null ? ByteBuffer.allocate(0) : filling.flip();
            filling = null;
        }
        CompletableFuture<?> written;
        if (target == null) {
            // The whole object fits one part: one PutObject, as put() sends for it.
            written = storage.put(key, last);
        } else {
            if (last.hasRemaining()) {
                // The room this part leaves does not matter: finish() waits for every part, and fails if one did.
                target.addPart(last);
            }
            written = target.finish();
        }
        written.whenComplete((v, error) -> {
            if (error == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(ObjectStorageException.unwrap(error));
            }
        });
        return done;
    }

    @Override
    public CompletableFuture<Void> abort() {
        S3MultipartUpload target;
        CompletableFuture<Void> done;
        synchronized (this) {
            if (abortion != null) {
                return abortion;
            }
            if (completion != null) {
                // Too late to give up: the object is (being) written, or its upload already aborted itself.
                abortion = completion.handle((v, error) -> null);
                return abortion;
            }
            ended = true;
            filling = null;
            target = upload;
            abortion = new CompletableFuture<>();
            done = abortion;
        }
        if (target == null) {
            done.complete(null);
        } else {
            target.abort().whenComplete((v, error) -> done.complete(null));
        }
        return done;
    }

    @Override
    public synchronized long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public long maxBufferedBytes() {
        return (long) (PARTS_IN_FLIGHT + 1) * partSizeBytes;
    }
}
