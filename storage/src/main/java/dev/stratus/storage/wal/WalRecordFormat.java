package dev.stratus.storage.wal;

import dev.stratus.storage.stream.StreamRecordBatch;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Byte layout of one WAL record (big-endian). See {@code docs/formats.md}, "WAL record format".
 *
 * <pre>
 *  0  magic        int   0x53574C31 ("SWL1")
 *  4  crc          int   CRC32C of bytes [8, 64 + payloadSize): the header fields after it and the payload
 *  8  recordSize   int   bytes from this record's start to the next record's start (header, payload, padding)
 * 12  payloadSize  int
 * 16  position     long  logical WAL position of this record: rejects records left by an earlier lap of the ring
 * 24  generation   long  WAL generation, bumped at every open: rejects leftovers of a write torn before a restart
 * 32  streamId     long
 * 40  epoch        long
 * 48  baseOffset   long
 * 56  count        int
 * 60  attributes   int   0, reserved
 * 64  payload
 * </pre>
 *
 * <p>Stateless helpers; safe from any thread.
 */
public final class WalRecordFormat {

    public static final int MAGIC = 0x53574C31;
    public static final int MAGIC_OFFSET = 0;
    public static final int CRC_OFFSET = 4;
    public static final int RECORD_SIZE_OFFSET = 8;
    public static final int PAYLOAD_SIZE_OFFSET = 12;
    public static final int POSITION_OFFSET = 16;
    public static final int GENERATION_OFFSET = 24;
    public static final int STREAM_ID_OFFSET = 32;
    public static final int EPOCH_OFFSET = 40;
    public static final int BASE_OFFSET_OFFSET = 48;
    public static final int COUNT_OFFSET = 56;
    public static final int ATTRIBUTES_OFFSET = 60;
    public static final int HEADER_SIZE = 64;

    /** Writes are aligned to, and padded to, pages of this size. */
    public static final int PAGE_SIZE = 4096;

    private WalRecordFormat() {
    }

    /** Bytes a record with this payload needs before padding. */
    public static int frameSize(int payloadSize) {
        return HEADER_SIZE + payloadSize;
    }

    public static long alignUp(long position) {
        return (position + PAGE_SIZE - 1) & -PAGE_SIZE;
    }

    public static long alignDown(long position) {
        return position & -PAGE_SIZE;
    }

    /** Encodes {@code batch} at the buffer's position and advances it by {@code recordSize}, zero-padding. */
    static void encode(ByteBuffer target, StreamRecordBatch batch, long position, long generation, int recordSize) {
        int start = target.position();
        int payloadSize = batch.sizeInBytes();
        target.putInt(start + MAGIC_OFFSET, MAGIC);
        target.putInt(start + RECORD_SIZE_OFFSET, recordSize);
        target.putInt(start + PAYLOAD_SIZE_OFFSET, payloadSize);
        target.putLong(start + POSITION_OFFSET, position);
        target.putLong(start + GENERATION_OFFSET, generation);
        target.putLong(start + STREAM_ID_OFFSET, batch.streamId());
        target.putLong(start + EPOCH_OFFSET, batch.epoch());
        target.putLong(start + BASE_OFFSET_OFFSET, batch.baseOffset());
        target.putInt(start + COUNT_OFFSET, batch.count());
        target.putInt(start + ATTRIBUTES_OFFSET, 0);
        target.position(start + HEADER_SIZE);
        target.put(batch.payloadView());
        CRC32C crc = new CRC32C();
        crc.update(target.duplicate().position(start + RECORD_SIZE_OFFSET).limit(start + HEADER_SIZE + payloadSize));
        target.putInt(start + CRC_OFFSET, (int) crc.getValue());
        int padding = recordSize - HEADER_SIZE - payloadSize;
        for (int i = 0; i < padding; i++) {
            target.put((byte) 0);
        }
    }

    /** CRC32C as stored: over a record's header after the CRC field and its payload. */
    static int crcOf(ByteBuffer header, ByteBuffer payload) {
        CRC32C crc = new CRC32C();
        crc.update(header.duplicate().position(header.position() + RECORD_SIZE_OFFSET).limit(header.position() + HEADER_SIZE));
        crc.update(payload.duplicate());
        return (int) crc.getValue();
    }
}
