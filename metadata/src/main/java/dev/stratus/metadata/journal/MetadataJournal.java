package dev.stratus.metadata.journal;

import dev.stratus.metadata.record.MetadataRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local controller's durable log of metadata records: an append-only file of batches. A
 * batch is {@code -count:int32, crc32c:int32} followed by {@code count} record frames
 * {@code length:int32, crc32c:int32, payload}; the batch CRC covers all record frames. A batch
 * is written and forced at once, so an operation is either wholly durable or, after a crash
 * mid-write, dropped whole at replay: replay stops at the first torn or corrupt batch and
 * truncates the file there.
 *
 * <p>Owned by the controller thread; not thread-safe.
 */
public final class MetadataJournal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetadataJournal.class);

    /** length + crc. */
    static final int FRAME_HEADER_BYTES = 8;
    /** Anything larger is a corrupt length, not a record. */
    private static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    private final Path path;
    private final FileChannel channel;

    private MetadataJournal(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /**
     * Opens (creating if needed) the journal and returns it with every complete batch that it
     * holds, in order. A torn or corrupt tail is truncated.
     */
    public static Replay open(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        List<MetadataRecord> records = new ArrayList<>();
        long validEnd = replay(channel, records);
        long size = channel.size();
        if (validEnd < size) {
            log.warn("Metadata journal {}: truncating {} bytes of torn or corrupt tail at position {}",
                    path, size - validEnd, validEnd);
            channel.truncate(validEnd);
            channel.force(true);
        }
        channel.position(validEnd);
        log.info("Metadata journal {}: replayed {} records ({} bytes)", path, records.size(), validEnd);
        return new Replay(new MetadataJournal(path, channel), records);
    }

    /** Appends the records as one atomic batch and forces them to disk. */
    public void append(List<MetadataRecord> batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        List<byte[]> payloads = new ArrayList<>(batch.size());
        int total = 0;
        for (MetadataRecord record : batch) {
            byte[] payload = MetadataRecordCodec.encode(record);
            payloads.add(payload);
            total += FRAME_HEADER_BYTES + payload.length;
        }
        // The batch frame: header with length = -(record count), crc over the records' frames.
        ByteBuffer body = ByteBuffer.allocate(total);
        for (byte[] payload : payloads) {
            body.putInt(payload.length).putInt(crc(payload, 0, payload.length)).put(payload);
        }
        body.flip();
        ByteBuffer frame = ByteBuffer.allocate(FRAME_HEADER_BYTES + total);
        frame.putInt(-payloads.size());
        frame.putInt(crc(body.array(), 0, total));
        frame.put(body);
        frame.flip();
        while (frame.hasRemaining()) {
            channel.write(frame);
        }
        channel.force(false);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static long replay(FileChannel channel, List<MetadataRecord> out) throws IOException {
        long position = 0;
        long size = channel.size();
        ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER_BYTES);
        while (position + FRAME_HEADER_BYTES <= size) {
            header.clear();
            channel.read(header, position);
            header.flip();
            int negativeCount = header.getInt();
            int batchCrc = header.getInt();
            if (negativeCount >= 0) {
                return position;
            }
            int count = -negativeCount;
            // Read record frames until count is reached; the batch CRC then vouches for them all.
            long recordsStart = position + FRAME_HEADER_BYTES;
            long cursor = recordsStart;
            List<byte[]> payloads = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                if (cursor + FRAME_HEADER_BYTES > size) {
                    return position;
                }
                header.clear();
                channel.read(header, cursor);
                header.flip();
                int length = header.getInt();
                int crc = header.getInt();
                if (length < 0 || length > MAX_RECORD_BYTES || cursor + FRAME_HEADER_BYTES + length > size) {
                    return position;
                }
                ByteBuffer payload = ByteBuffer.allocate(length);
                channel.read(payload, cursor + FRAME_HEADER_BYTES);
                if (crc(payload.array(), 0, length) != crc) {
                    return position;
                }
                payloads.add(payload.array());
                cursor += FRAME_HEADER_BYTES + length;
            }
            int bodyLength = (int) (cursor - recordsStart);
            ByteBuffer body = ByteBuffer.allocate(bodyLength);
            channel.read(body, recordsStart);
            if (crc(body.array(), 0, bodyLength) != batchCrc) {
                return position;
            }
            try {
                for (byte[] payload : payloads) {
                    out.add(MetadataRecordCodec.decode(payload));
                }
            } catch (IllegalArgumentException e) {
                throw new IOException("metadata journal " + " holds a record this version cannot read at "
                        + position + ": " + e.getMessage(), e);
            }
            position = cursor;
        }
        return position;
    }

    private static int crc(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    /** The journal opened for appends plus the records it held. */
    public record Replay(MetadataJournal journal, List<MetadataRecord> records) {
    }
}
