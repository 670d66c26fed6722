package dev.stratus.storage.wal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The WAL's file: two header pages, then a ring of {@code capacity} bytes addressed by logical
 * position ({@code physical = DATA_START + position % capacity}). Reads and writes that cross
 * the ring's end are split in two.
 *
 * <p>Positional I/O only, so the writer thread and readers (upload, recovery) may use it
 * concurrently on different regions.
 */
final class WalFile implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final long capacity;

    private WalFile(Path path, FileChannel channel, long capacity) {
        this.path = path;
        this.channel = channel;
        this.capacity = capacity;
    }

    /** Creates a preallocated (sparse) file of the given ring capacity. */
    static void create(Path path, long capacity) throws IOException {
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(WalHeader.DATA_START + capacity);
        }
    }

    static WalFile open(Path path, long capacity) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (channel.size() < WalHeader.DATA_START + capacity) {
            channel.close();
            throw new IOException("WAL file " + path + " is " + channel.size() + " bytes, expected "
                    + (WalHeader.DATA_START + capacity) + " for a capacity of " + capacity);
        }
        return new WalFile(path, channel, capacity);
    }

    /** Reads both header slots of a file whose capacity is not known yet. */
    static WalHeader[] readHeaders(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            WalHeader[] headers = new WalHeader[2];
            for (int slot = 0; slot < 2; slot++) {
                ByteBuffer buffer = ByteBuffer.allocate(WalHeader.SIZE);
                readFully(channel, buffer, WalHeader.slotOffset(slot));
                buffer.flip();
                headers[slot] = buffer.remaining() == WalHeader.SIZE ? WalHeader.decode(buffer) : null;
            }
            return headers;
        }
    }

    Path path() {
        return path;
    }

    long capacity() {
        return capacity;
    }

    void writeHeader(WalHeader header) throws IOException {
        ByteBuffer buffer = header.encode();
        long at = WalHeader.slotOffset(header.slot());
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
        channel.force(true);
    }

    /** Writes {@code data} at logical {@code position}, wrapping at the ring's end. */
    void write(long position, ByteBuffer data) throws IOException {
        ByteBuffer source = data.duplicate();
        long logical = position;
        while (source.hasRemaining()) {
            long physical = logical % capacity;
            int chunk = (int) Math.min(source.remaining(), capacity - physical);
            ByteBuffer part = source.duplicate().limit(source.position() + chunk);
            long at = WalHeader.DATA_START + physical;
            while (part.hasRemaining()) {
                at += channel.write(part, at);
            }
            source.position(source.position() + chunk);
            logical += chunk;
        }
    }

    /** Reads {@code length} bytes at logical {@code position}, wrapping at the ring's end. */
    ByteBuffer read(long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        long logical = position;
        while (buffer.hasRemaining()) {
            long physical = logical % capacity;
            int chunk = (int) Math.min(buffer.remaining(), capacity - physical);
            ByteBuffer part = buffer.duplicate().limit(buffer.position() + chunk);
            readFully(channel, part, WalHeader.DATA_START + physical);
            if (part.hasRemaining()) {
                throw new IOException("WAL file " + path + " ended early at " + (WalHeader.DATA_START + physical));
            }
            buffer.position(buffer.position() + chunk);
            logical += chunk;
        }
        return buffer.flip();
    }

    void force() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long at) throws IOException {
        long offset = at;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, offset);
            if (read < 0) {
                return;
            }
            offset += read;
        }
    }
}
