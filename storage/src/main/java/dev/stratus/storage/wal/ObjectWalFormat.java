package dev.stratus.storage.wal;

import dev.stratus.storage.stream.StreamRecordBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static dev.stratus.storage.wal.WalRecordFormat.*;

/**
 * Byte layout of one object of the object WAL (big-endian). See {@code docs/formats.md},
 * "Object WAL". A 112-byte header with its own CRC, then the records framed exactly as in the
 * file WAL ({@link WalRecordFormat}, without padding: {@code recordSize = 64 + payloadSize}),
 * whose {@code generation} field holds the writer's epoch.
 *
 * <pre>
 *   0  magic          int   0x53574F31 ("SWO1")
 *   4  headerCrc      int   CRC32C of bytes [8, 112)
 *   8  version        short 1
 *  10  kind           short 0 = data, 1 = fence
 *  12  recordCount    int
 *  16  walNodeId      long
 *  24  epoch          long
 *  32  writerNodeId   long
 *  40  writerNonce    long
 *  48  sequence       long
 *  56  startPosition  long
 *  64  endPosition    long
 *  72  trimPosition   long
 *  80  trimSequence   long
 *  88  discardFrom    long  (-1 unless a fence)
 *  96  resumeSequence long  (-1 unless a fence)
 * 104  bodySize       int
 * 108  reserved       int   0
 * 112  records
 * </pre>
 *
 * <p>The header has its own CRC so that recovery can trust a header read with one small ranged
 * GET; every record keeps its own CRC. Stateless helpers; safe from any thread.
 */
public final class ObjectWalFormat {

    public static final int MAGIC = 0x53574F31;
    public static final short VERSION = 1;
    public static final int HEADER_SIZE = 112;

    private static final int HEADER_CRC_OFFSET = 4;
    private static final int HEADER_CRC_FROM = 8;

    private ObjectWalFormat() {
    }

    /** What a decode found: the header (null if unreadable), the valid records, and why it stopped early (null if whole). */
    public record Decoded(ObjectWalHeader header, List<WalEntry> entries, String invalidReason) {
        public boolean valid() {
            return invalidReason == null;
        }
    }

    /** Encodes a data object; the records get consecutive positions from {@code header.startPosition()}. */
    static ByteBuffer encodeData(ObjectWalHeader header, List<StreamRecordBatch> batches) {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_SIZE + header.bodySize());
        writeHeader(buffer, header);
        buffer.position(HEADER_SIZE);
        long position = header.startPosition();
        for (StreamRecordBatch batch : batches) {
            int recordSize = frameSize(batch.sizeInBytes());
            WalRecordFormat.encode(buffer, batch, position, header.epoch(), recordSize);
            position += recordSize;
        }
        if (position != header.endPosition() || buffer.hasRemaining()) {
            throw new IllegalArgumentException("header " + header + " does not match its " + batches.size() + " records");
        }
        return buffer.flip();
    }

    /** Encodes an object that is only a header (a fence, or an empty trim marker). */
    static ByteBuffer encodeHeaderOnly(ObjectWalHeader header) {
        if (header.bodySize() != 0 || header.recordCount() != 0) {
            throw new IllegalArgumentException("a header-only object has no body: " + header);
        }
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_SIZE);
        writeHeader(buffer, header);
        return buffer;
    }

    private static void writeHeader(ByteBuffer buffer, ObjectWalHeader h) {
        buffer.putInt(0, MAGIC);
        buffer.putShort(8, VERSION);
        buffer.putShort(10, (short) h.kind());
        buffer.putInt(12, h.recordCount());
        buffer.putLong(16, h.walNodeId());
        buffer.putLong(24, h.epoch());
        buffer.putLong(32, h.writerNodeId());
        buffer.putLong(40, h.writerNonce());
        buffer.putLong(48, h.sequence());
        buffer.putLong(56, h.startPosition());
        buffer.putLong(64, h.endPosition());
        buffer.putLong(72, h.trimPosition());
        buffer.putLong(80, h.trimSequence());
        buffer.putLong(88, h.discardFrom());
        buffer.putLong(96, h.resumeSequence());
        buffer.putInt(104, h.bodySize());
        buffer.putInt(108, 0);
        buffer.putInt(HEADER_CRC_OFFSET, headerCrc(buffer, 0));
    }

    private static int headerCrc(ByteBuffer buffer, int start) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().limit(start + HEADER_SIZE).position(start + HEADER_CRC_FROM));
        return (int) crc.getValue();
    }

    /**
     * Decodes the header at the buffer's position (the first {@link #HEADER_SIZE} bytes of an
     * object); returns null when it is not a valid header.
     */
    public static ObjectWalHeader decodeHeader(ByteBuffer buffer) {
        return checkHeader(buffer) == null ? readHeader(buffer) : null;
    }

    private static String checkHeader(ByteBuffer buffer) {
        int p = buffer.position();
        if (buffer.remaining() < HEADER_SIZE) {
            return "truncated header (" + buffer.remaining() + " bytes)";
        }
        if (buffer.getInt(p) != MAGIC) {
            return "bad magic 0x" + Integer.toHexString(buffer.getInt(p));
        }
        if (buffer.getInt(p + HEADER_CRC_OFFSET) != headerCrc(buffer, p)) {
            return "header CRC mismatch";
        }
        if (buffer.getShort(p + 8) != VERSION) {
            return "unknown version " + buffer.getShort(p + 8);
        }
        int kind = buffer.getShort(p + 10);
        if (kind != ObjectWalHeader.DATA && kind != ObjectWalHeader.FENCE) {
            return "unknown kind " + kind;
        }
        return null;
    }

    private static ObjectWalHeader readHeader(ByteBuffer b) {
        int p = b.position();
        return new ObjectWalHeader(b.getShort(p + 10), b.getInt(p + 12), b.getLong(p + 16), b.getLong(p + 24),
                b.getLong(p + 32), b.getLong(p + 40), b.getLong(p + 48), b.getLong(p + 56), b.getLong(p + 64),
                b.getLong(p + 72), b.getLong(p + 80), b.getLong(p + 88), b.getLong(p + 96), b.getInt(p + 104));
    }

    /**
     * Decodes a whole object and checks it: header, size, every record (magic, lengths, position,
     * epoch, CRC), record count and end position. Records before the first bad one are returned.
     */
    public static Decoded decode(ByteBuffer object) {
        ByteBuffer buffer = object.duplicate();
        String headerProblem = checkHeader(buffer);
        if (headerProblem != null) {
            return new Decoded(null, List.of(), headerProblem);
        }
        ObjectWalHeader header = readHeader(buffer);
        int base = buffer.position();
        List<WalEntry> entries = new ArrayList<>();
        long position = header.startPosition();
        int offset = base + ObjectWalFormat.HEADER_SIZE;
        int end = base + ObjectWalFormat.HEADER_SIZE + Math.max(0, Math.min(header.bodySize(), buffer.remaining() - HEADER_SIZE));
        String problem = null;
        if (header.bodySize() < 0 || buffer.remaining() != HEADER_SIZE + header.bodySize()) {
            problem = "object of " + buffer.remaining() + " bytes, header says " + (HEADER_SIZE + header.bodySize())
                    + " (torn or truncated)";
        }
        while (offset < end) {
            String bad = checkRecord(buffer, offset, end, position, header.epoch());
            if (bad != null) {
                problem = "record " + entries.size() + " at position " + position + ": " + bad;
                break;
            }
            int payloadSize = buffer.getInt(offset + PAYLOAD_SIZE_OFFSET);
            ByteBuffer payload = ByteBuffer.allocate(payloadSize);
            payload.put(buffer.duplicate().position(offset + WalRecordFormat.HEADER_SIZE)
                    .limit(offset + WalRecordFormat.HEADER_SIZE + payloadSize)).flip();
            StreamRecordBatch batch = new StreamRecordBatch(buffer.getLong(offset + STREAM_ID_OFFSET),
                    buffer.getLong(offset + EPOCH_OFFSET), buffer.getLong(offset + BASE_OFFSET_OFFSET),
                    buffer.getInt(offset + COUNT_OFFSET), payload);
            int recordSize = buffer.getInt(offset + RECORD_SIZE_OFFSET);
            entries.add(new WalEntry(position, position + recordSize, batch));
            position += recordSize;
            offset += recordSize;
        }
        if (problem == null && (entries.size() != header.recordCount() || position != header.endPosition())) {
            problem = "header says " + header.recordCount() + " records ending at " + header.endPosition() + ", found "
                    + entries.size() + " ending at " + position;
        }
        return new Decoded(header, entries, problem);
    }

    private static String checkRecord(ByteBuffer buffer, int offset, int end, long position, long epoch) {
        if (end - offset < WalRecordFormat.HEADER_SIZE) {
            return "truncated record header";
        }
        if (buffer.getInt(offset + MAGIC_OFFSET) != WalRecordFormat.MAGIC) {
            return "bad record magic";
        }
        int recordSize = buffer.getInt(offset + RECORD_SIZE_OFFSET);
        int payloadSize = buffer.getInt(offset + PAYLOAD_SIZE_OFFSET);
        if (payloadSize < 0 || recordSize != WalRecordFormat.HEADER_SIZE + payloadSize || recordSize > end - offset) {
            return "impossible length: record size " + recordSize + ", payload size " + payloadSize;
        }
        if (buffer.getLong(offset + POSITION_OFFSET) != position) {
            return "position " + buffer.getLong(offset + POSITION_OFFSET) + " where " + position + " was expected";
        }
        if (buffer.getLong(offset + GENERATION_OFFSET) != epoch) {
            return "epoch " + buffer.getLong(offset + GENERATION_OFFSET) + " in an object of epoch " + epoch;
        }
        ByteBuffer header = buffer.duplicate().position(offset).limit(offset + WalRecordFormat.HEADER_SIZE).slice();
        ByteBuffer payload = buffer.duplicate().position(offset + WalRecordFormat.HEADER_SIZE)
                .limit(offset + WalRecordFormat.HEADER_SIZE + payloadSize);
        if (buffer.getInt(offset + CRC_OFFSET) != WalRecordFormat.crcOf(header, payload)) {
            return "CRC mismatch (torn or corrupt record)";
        }
        if (buffer.getInt(offset + COUNT_OFFSET) <= 0 || buffer.getLong(offset + BASE_OFFSET_OFFSET) < 0) {
            return "invalid offsets under a valid CRC";
        }
        return null;
    }
}
