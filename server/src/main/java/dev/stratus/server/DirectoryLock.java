package dev.stratus.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A lock on a directory (or a file's place) held for the life of the process through an OS
 * file lock on a {@code .lock} file, as Kafka locks its log directories: a second process
 * pointed at the same data directory, WAL or local object store refuses to start instead of
 * writing beside the first. The OS drops the lock when the process dies, so a SIGKILLed node
 * leaves nothing to clean up. Exclusive unless shared (several processes may share, none may
 * take it exclusively meanwhile). Owned by the server's lifecycle thread.
 */
final class DirectoryLock implements AutoCloseable {

    static final String FILE_NAME = ".lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dir/.lock}, creating the directory when needed. */
    static DirectoryLock lockDirectory(Path dir, String what, boolean shared) throws IOException {
        Files.createDirectories(dir);
        return lockFile(dir.resolve(FILE_NAME), what, shared);
    }

    /**
     * Locks {@code lockFile}. Fails with {@link DirectoryLockedException} naming {@code what}
     * when another process (or another server in this JVM) holds it.
     */
    static DirectoryLock lockFile(Path lockFile, String what, boolean shared) throws IOException {
        Files.createDirectories(lockFile.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock(0, Long.MAX_VALUE, shared);
        } catch (OverlappingFileLockException sameJvm) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new DirectoryLockedException("Another Stratus process is using " + what + " (" + lockFile
                    + " is locked). Stop that process first, or give this one its own directory.");
        }
        return new DirectoryLock(lockFile, channel, lock);
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** Startup refused because the lock is held elsewhere. */
    static final class DirectoryLockedException extends IllegalStateException {
        DirectoryLockedException(String message) {
            super(message);
        }
    }
}
