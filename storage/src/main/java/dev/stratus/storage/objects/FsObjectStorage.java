package dev.stratus.storage.objects;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Object storage in a local directory: the embedded default. A key maps to a relative path
 * under the root. A PUT writes a temporary file, forces it, and renames it atomically onto
 * the key, so readers see either nothing or the whole object; a streamed write
 * ({@link #writer}, {@link FsObjectWriter}) does the same piece by piece.
 *
 * <p>Threading: every call runs on this instance's own small pool ({@code stratus-fs-object-*},
 * bounded queue); futures complete on those threads. A full queue fails the call with
 * {@link RejectedExecutionException} rather than blocking the caller.
 */
public final class FsObjectStorage implements ObjectStorage {

    private static final String TEMP_SUFFIX = ".tmp";

    private final Path root;
    private final ObjectStorageStats stats = new ObjectStorageStats();
    private final ThreadPoolExecutor executor;
    private final AtomicLong tempCounter = new AtomicLong();

    /**
     * @param root    the directory holding the objects; created when missing
     * @param threads size of the I/O pool
     * @param queueCapacity how many calls may wait for a thread before new calls are rejected
     */
    public FsObjectStorage(Path root, int threads, int queueCapacity) {
        this.root = root.toAbsolutePath();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create object directory " + this.root, e);
        }
        AtomicInteger threadIds = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), runnable -> {
                    Thread thread = new Thread(runnable, "stratus-fs-object-" + threadIds.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.executor.allowCoreThreadTimeOut(true);
    }

    /** A directory store with a pool of 4 threads and room for 1024 waiting calls. */
    public FsObjectStorage(Path root) {
        this(root, 4, 1024);
    }

    public Path root() {
        return root;
    }

    @Override
    public CompletableFuture<Void> put(String key, ByteBuffer data) {
        ByteBuffer source = data.duplicate();
        return call(ObjectStorageStats.CallType.PUT, () -> {
            Path target = pathOf(key);
            Files.createDirectories(target.getParent());
            Path temp = tempPathFor(target);
            long bytes = source.remaining();
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                while (source.hasRemaining()) {
                    channel.write(source);
                }
                channel.force(true);
            }
            moveIntoPlace(temp, target);
            return new Sized<Void>(null, bytes);
        });
    }

    /**
     * A streamed write to a temporary file next to the key's path, renamed onto the key at
     * completion like {@link #put}; counted as one PUT of the whole object.
     */
    @Override
    public ObjectWriter writer(String key) {
        return new FsObjectWriter(this, key);
    }

    /** Nothing beyond the piece being written: pieces go straight to the file. */
    @Override
    public long writerMemoryBytes(long objectBytes) {
        return 0;
    }

    /** A new temporary file name next to {@code target} (ending in {@code .tmp}, which {@link #list} skips). */
    Path tempPathFor(Path target) {
        return target.resolveSibling(target.getFileName() + "." + tempCounter.incrementAndGet() + TEMP_SUFFIX);
    }

    /** Renames a forced temporary file onto its key, replacing an older object; readers see the old or the new one, whole. */
    static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * Writes a forced temporary file, then links it onto the key with {@link Files#createLink}, which
     * fails when the key exists: creation is atomic and readers never see a partial object. On a
     * file system without hard links the object is created in place with {@code CREATE_NEW}
     * (still exclusive, but a crash may leave a truncated object, which readers must detect).
     */
    @Override
    public CompletableFuture<Boolean> putIfAbsent(String key, ByteBuffer data) {
        ByteBuffer source = data.duplicate();
        return call(ObjectStorageStats.CallType.PUT, () -> {
            Path target = pathOf(key);
            Files.createDirectories(target.getParent());
            if (Files.exists(target)) {
                return new Sized<>(false, 0);
            }
            long bytes = source.remaining();
            Path temp = tempPathFor(target);
            try {
                writeForced(temp, source, StandardOpenOption.CREATE_NEW);
                try {
                    Files.createLink(target, temp);
                } catch (FileAlreadyExistsException e) {
                    return new Sized<>(false, 0);
                } catch (UnsupportedOperationException e) {
                    try {
                        writeForced(target, data.duplicate(), StandardOpenOption.CREATE_NEW);
                    } catch (FileAlreadyExistsException exists) {
                        return new Sized<>(false, 0);
                    }
                }
                forceDirectory(target.getParent());
                return new Sized<>(true, bytes);
            } finally {
                Files.deleteIfExists(temp);
            }
        });
    }

    private static void writeForced(Path path, ByteBuffer source, StandardOpenOption create) throws IOException {
        try (FileChannel channel = FileChannel.open(path, create, StandardOpenOption.WRITE)) {
            while (source.hasRemaining()) {
                channel.write(source);
            }
            channel.force(true);
        }
    }

    /** Makes a new directory entry durable (best effort: not every platform can open a directory). */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows and some file systems refuse; the link itself is already atomic.
        }
    }

    @Override
    public CompletableFuture<ByteBuffer> rangeRead(String key, long start, long end) {
        return call(ObjectStorageStats.CallType.GET, () -> {
            try (FileChannel channel = FileChannel.open(pathOf(key), StandardOpenOption.READ)) {
                long size = channel.size();
                if (start < 0 || start > end || start > size) {
                    throw new IllegalArgumentException("bad range " + start + ".." + end + " of " + key + " (" + size + " bytes)");
                }
                ByteBuffer buffer = ByteBuffer.allocate((int) (Math.min(end, size) - start));
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, start + buffer.position()) < 0) {
                        throw new IOException("object " + key + " shrank while being read");
                    }
                }
                buffer.flip();
                return new Sized<>(buffer, buffer.remaining());
            }
        });
    }

    @Override
    public CompletableFuture<Long> size(String key) {
        return call(ObjectStorageStats.CallType.HEAD, () -> new Sized<>(Files.size(pathOf(key)), 0));
    }

    @Override
    public CompletableFuture<List<String>> list(String prefix) {
        return call(ObjectStorageStats.CallType.LIST, () -> {
            List<String> keys = new ArrayList<>();
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String key = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                    if (key.startsWith(prefix) && !key.endsWith(TEMP_SUFFIX)) {
                        keys.add(key);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            Collections.sort(keys);
            return new Sized<>(keys, 0);
        });
    }

    @Override
    public CompletableFuture<Void> delete(List<String> keys) {
        List<String> copy = List.copyOf(keys);
        return call(ObjectStorageStats.CallType.DELETE, () -> {
            for (String key : copy) {
                Files.deleteIfExists(pathOf(key));
            }
            return new Sized<Void>(null, 0);
        });
    }

    @Override
    public ObjectStorageStats stats() {
        return stats;
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    Path pathOf(String key) throws IOException {
        if (key.isEmpty() || key.startsWith("/") || key.contains("..") || key.contains("\\")) {
            throw new NoSuchFileException(key, null, "invalid object key");
        }
        return root.resolve(key);
    }

    /** Runs {@code body} on the pool, uncounted (a streamed write counts its one PUT itself); a full queue fails the future. */
    <T> CompletableFuture<T> onPool(Callable<T> body) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    future.complete(body.call());
                } catch (Throwable e) {
                    future.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    private <T> CompletableFuture<T> call(ObjectStorageStats.CallType type, Callable<Sized<T>> body) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                long startNs = System.nanoTime();
                try {
                    Sized<T> result = body.call();
                    stats.record(type, result.bytes(), System.nanoTime() - startNs);
                    future.complete(result.value());
                } catch (Throwable e) {
                    stats.record(type, 0, System.nanoTime() - startNs);
                    future.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    private record Sized<T>(T value, long bytes) {
    }
}
