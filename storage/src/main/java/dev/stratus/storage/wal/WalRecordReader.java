package dev.stratus.storage.wal;

import dev.stratus.storage.stream.StreamRecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;

import static dev.stratus.storage.wal.WalRecordFormat.*;

/**
 * Reads and checks one record at a logical position: the one place that decides whether bytes
 * in the ring are a valid record of the current lap. Used by recovery and by the uploader.
 *
 * <p>Stateless apart from the file; safe from any thread.
 */
final class WalRecordReader {

    /** Either an entry, or the reason there is no valid record at the position. */
    record Outcome(WalEntry entry, long generation, String invalidReason) {
        boolean valid() {
            return entry != null;
        }
    }

    private final WalFile file;

    WalRecordReader(WalFile file) {
        this.file = file;
    }

    /**
     * @param trimPosition      the ring holds nothing valid below it, nor at or past {@code trimPosition + capacity}
     * @param minGeneration     generation of the previous record (records never go back in generation)
     * @param maxGeneration     the generation of the current open: nothing newer can exist
     */
    Outcome read(long position, long trimPosition, long minGeneration, long maxGeneration) throws IOException {
        long capacity = file.capacity();
        long room = trimPosition + capacity - position;
        if (room < HEADER_SIZE) {
            return invalid("no room for a record before the ring wraps onto the trim point");
        }
        ByteBuffer header = file.read(position, HEADER_SIZE);
        int magic = header.getInt(MAGIC_OFFSET);
        if (magic != MAGIC) {
            return invalid(magic == 0 ? "no record (zeroes)" : "bad magic 0x" + Integer.toHexString(magic));
        }
        int recordSize = header.getInt(RECORD_SIZE_OFFSET);
        int payloadSize = header.getInt(PAYLOAD_SIZE_OFFSET);
        if (payloadSize < 0 || recordSize < HEADER_SIZE + payloadSize || recordSize - HEADER_SIZE - payloadSize >= PAGE_SIZE
                || recordSize > room) {
            return invalid("impossible length: record size " + recordSize + ", payload size " + payloadSize);
        }
        long recordPosition = header.getLong(POSITION_OFFSET);
        if (recordPosition != position) {
            return invalid("stale record from position " + recordPosition + " (an earlier lap of the ring)");
        }
        long generation = header.getLong(GENERATION_OFFSET);
        if (generation < minGeneration || generation > maxGeneration) {
            return invalid("generation " + generation + " out of sequence (expected " + minGeneration + ".." + maxGeneration + ")");
        }
        ByteBuffer payload = file.read(position + HEADER_SIZE, payloadSize);
        if (header.getInt(CRC_OFFSET) != crcOf(header, payload)) {
            return invalid("CRC mismatch (torn or corrupt record)");
        }
        int count = header.getInt(COUNT_OFFSET);
        long baseOffset = header.getLong(BASE_OFFSET_OFFSET);
        if (count <= 0 || baseOffset < 0) {
            return invalid("invalid offsets " + baseOffset + "+" + count + " under a valid CRC");
        }
        StreamRecordBatch batch = new StreamRecordBatch(header.getLong(STREAM_ID_OFFSET), header.getLong(EPOCH_OFFSET),
                baseOffset, count, payload);
        return new Outcome(new WalEntry(position, position + recordSize, batch), generation, null);
    }

    private static Outcome invalid(String reason) {
        return new Outcome(null, -1, reason);
    }
}
