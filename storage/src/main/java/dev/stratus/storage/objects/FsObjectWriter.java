package dev.stratus.storage.objects;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The streamed write of one object to an {@link FsObjectStorage}: each write's pieces go with
 * one gathering write to a temporary file next to the key's path (created at the first write);
 * {@link #complete()} forces the file and renames it atomically onto the key, as
 * {@link FsObjectStorage#put} does; {@link #abort()} or a failure deletes it. Until the rename
 * readers see nothing, and {@code list} skips the temporary file ({@code .tmp}).
 *
 * <p>Memory: the pieces are not copied; the writer holds those of writes not yet in the file,
 * which is one write's pieces when the caller waits for each write as it should.
 * {@link #maxBufferedBytes()} is the most it held at once so far.
 *
 * <p>Stats: one PUT for the object (the cost model prices objects, not writes), with the
 * object's bytes and the time spent in file I/O, counted when the rename succeeded; a failure
 * counts a PUT of 0 bytes like a failed {@code put}; an abort counts nothing.
 *
 * <p>Threading: the file is touched only by tasks on the store's pool, each chained after the
 * previous one ({@link #tail}), so they never overlap and need no lock; the bookkeeping shared
 * with the caller is guarded by this object's lock.
 */
final class FsObjectWriter implements ObjectWriter {

    private final FsObjectStorage storage;
    private final String key;

    // Touched by the chained pool tasks only.
    private Path target;
    private Path temp;
    private FileChannel channel;
    private long ioNanos;

    // Guarded by this.
    /** The last file step queued; the next one starts after it. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private long bytesWritten;
    private long pendingBytes;
    private long maxPendingBytes;
    private boolean ended;
    private boolean failureCounted;
    private CompletableFuture<Void> completion;
    private CompletableFuture<Void> abortion;

    FsObjectWriter(FsObjectStorage storage, String key) {
        this.storage = storage;
        this.key = key;
    }

    @Override
    public CompletableFuture<Void> write(List<ByteBuffer> pieces) {
        ByteBuffer[] sources = new ByteBuffer[pieces.size()];
        long bytes = 0;
        for (int i = 0; i < sources.length; i++) {
            sources[i] = pieces.get(i).duplicate();
            bytes += sources[i].remaining();
        }
        long incoming = bytes;
        CompletableFuture<Void> step;
        synchronized (this) {
            if (ended) {
                return CompletableFuture.failedFuture(new IllegalStateException("writer of " + key + " already ended (completed, aborted or failed)"));
            }
            pendingBytes += incoming;
            maxPendingBytes = Math.max(maxPendingBytes, pendingBytes);
            step = tail.thenCompose(v -> storage.onPool(() -> {
                appendToFile(sources, incoming);
                return null;
            }));
            tail = step;
        }
        return step.handle((v, error) -> {
            synchronized (this) {
                pendingBytes -= incoming;
                if (error == null) {
                    bytesWritten += incoming;
                }
            }
            return error;
        }).thenCompose(error -> error == null ? CompletableFuture.completedFuture(null) : failed(error));
    }

    /** Runs on the pool, after every earlier step. */
    private void appendToFile(ByteBuffer[] sources, long bytes) throws IOException {
        long startNs = System.nanoTime();
        try {
            openIfNeeded();
            long written = 0;
            while (written < bytes) {
                written += channel.write(sources);
            }
        } finally {
            ioNanos += System.nanoTime() - startNs;
        }
    }

    private void openIfNeeded() throws IOException {
        if (channel != null) {
            return;
        }
        target = storage.pathOf(key);
        Files.createDirectories(target.getParent());
        temp = storage.tempPathFor(target);
        channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Override
    public CompletableFuture<Void> complete() {
        CompletableFuture<Void> step;
        synchronized (this) {
            if (ended) {
                return CompletableFuture.failedFuture(new IllegalStateException("writer of " + key + " already ended (completed, aborted or failed)"));
            }
            ended = true;
            step = tail.thenCompose(v -> storage.onPool(() -> {
                long startNs = System.nanoTime();
                try {
                    openIfNeeded();
                    channel.force(true);
                    channel.close();
                    FsObjectStorage.moveIntoPlace(temp, target);
                } finally {
                    ioNanos += System.nanoTime() - startNs;
                }
                return null;
            }));
            tail = step;
            completion = step.handle((v, error) -> error)
                    .thenCompose(error -> {
                        if (error != null) {
                            return failed(error);
                        }
                        long bytes;
                        synchronized (this) {
                            bytes = bytesWritten;
                        }
                        storage.stats().record(ObjectStorageStats.CallType.PUT, bytes, ioNanos);
                        return CompletableFuture.completedFuture(null);
                    });
            return completion;
        }
    }

    /** After a failed step: counts the failed PUT once, deletes the temporary file, then fails with the cause. */
    private CompletableFuture<Void> failed(Throwable error) {
        boolean count;
        synchronized (this) {
            ended = true;
            count = !failureCounted;
            failureCounted = true;
        }
        if (count) {
            storage.stats().record(ObjectStorageStats.CallType.PUT, 0, ioNanos);
        }
        Throwable cause = ObjectStorageException.unwrap(error);
        return discard().thenCompose(v -> CompletableFuture.failedFuture(cause));
    }

    @Override
    public CompletableFuture<Void> abort() {
        synchronized (this) {
            if (abortion != null) {
                return abortion;
            }
            if (completion != null) {
                // Too late to give up: the object is (being) renamed into place, or its failure already tidied up.
                abortion = completion.handle((v, error) -> null);
                return abortion;
            }
            ended = true;
            abortion = discard();
            return abortion;
        }
    }

    /**
     * Closes and deletes the temporary file once every queued step has run; never fails. On the
     * pool, or right here when the pool refuses (the store is closing): the file must not stay.
     */
    private CompletableFuture<Void> discard() {
        CompletableFuture<Void> after;
        synchronized (this) {
            after = tail.handle((v, error) -> (Void) null);
        }
        return after.thenCompose(v -> storage.<Void>onPool(() -> {
                    deleteTemp();
                    return null;
                }))
                .exceptionally(error -> {
                    deleteTemp();
                    return null;
                });
    }

    private void deleteTemp() {
        try {
            if (channel != null) {
                channel.close();
            }
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            // Best effort: a stray .tmp file is invisible to readers and list.
        }
    }

    @Override
    public synchronized long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public synchronized long maxBufferedBytes() {
        return maxPendingBytes;
    }
}
