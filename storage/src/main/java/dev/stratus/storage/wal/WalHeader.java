package dev.stratus.storage.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The WAL file's header: kept twice, in two slots written alternately (slot = sequence % 2),
 * each protected by its own CRC, so that a torn header write leaves the other slot valid.
 * Recovery takes the valid slot with the highest sequence.
 *
 * <pre>
 *  0  magic        int   0x53574848 ("SWHH")
 *  4  crc          int   CRC32C of bytes [8, 48)
 *  8  version      int   1
 * 12  pageSize     int   4096
 * 16  capacity     long  bytes of the ring (the data area)
 * 24  sequence     long  incremented at every header write
 * 32  trimPosition long  logical position of the first record not yet uploaded
 * 40  generation   long  incremented at every open; stamped on every record written since
 * </pre>
 */
public record WalHeader(long capacity, long sequence, long trimPosition, long generation) {

    public static final int MAGIC = 0x53574848;
    public static final int VERSION = 1;
    public static final int MAGIC_OFFSET = 0;
    public static final int CRC_OFFSET = 4;
    public static final int VERSION_OFFSET = 8;
    public static final int PAGE_SIZE_OFFSET = 12;
    public static final int CAPACITY_OFFSET = 16;
    public static final int SEQUENCE_OFFSET = 24;
    public static final int TRIM_POSITION_OFFSET = 32;
    public static final int GENERATION_OFFSET = 40;
    public static final int SIZE = 48;

    /** Byte offset of slot {@code 0} and {@code 1} in the file: each in its own page. */
    public static long slotOffset(int slot) {
        return (long) slot * WalRecordFormat.PAGE_SIZE;
    }

    /** Where the ring starts in the file: after the two header pages. */
    public static final long DATA_START = 2L * WalRecordFormat.PAGE_SIZE;

    public WalHeader next(long newTrimPosition, long newGeneration) {
        return new WalHeader(capacity, sequence + 1, newTrimPosition, newGeneration);
    }

    public int slot() {
        return (int) (sequence & 1);
    }

    ByteBuffer encode() {
        ByteBuffer buffer = ByteBuffer.allocate(SIZE);
        buffer.putInt(MAGIC_OFFSET, MAGIC);
        buffer.putInt(VERSION_OFFSET, VERSION);
        buffer.putInt(PAGE_SIZE_OFFSET, WalRecordFormat.PAGE_SIZE);
        buffer.putLong(CAPACITY_OFFSET, capacity);
        buffer.putLong(SEQUENCE_OFFSET, sequence);
        buffer.putLong(TRIM_POSITION_OFFSET, trimPosition);
        buffer.putLong(GENERATION_OFFSET, generation);
        buffer.putInt(CRC_OFFSET, crc(buffer));
        return buffer;
    }

    /** Decodes a slot, or returns null when it is not a valid header (never written, torn, corrupt). */
    static WalHeader decode(ByteBuffer buffer) {
        if (buffer.remaining() < SIZE || buffer.getInt(MAGIC_OFFSET) != MAGIC || buffer.getInt(CRC_OFFSET) != crc(buffer)
                || buffer.getInt(VERSION_OFFSET) != VERSION || buffer.getInt(PAGE_SIZE_OFFSET) != WalRecordFormat.PAGE_SIZE) {
            return null;
        }
        return new WalHeader(buffer.getLong(CAPACITY_OFFSET), buffer.getLong(SEQUENCE_OFFSET),
                buffer.getLong(TRIM_POSITION_OFFSET), buffer.getLong(GENERATION_OFFSET));
    }

    private static int crc(ByteBuffer buffer) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().position(VERSION_OFFSET).limit(SIZE));
        return (int) crc.getValue();
    }
}
