package dev.stratus.storage.format;

/**
 * Byte layout of object format v1 (stream set objects and, later, stream objects). All
 * integers are big-endian. See {@code docs/formats.md}, "Object format v1", for the prose.
 *
 * <pre>
 * object   = data block*  index  footer
 * block    = block header  batch*          (all batches of one stream, in offset order)
 * index    = entry count  index entry*     (sorted by stream id, then start offset)
 * </pre>
 *
 * <p>Constants only; stateless.
 */
public final class ObjectFormat {

    public static final int VERSION = 1;
    /** "STO1": the last four bytes of every object. */
    public static final int MAGIC = 0x53544F31;

    // Data block header: CRC32C of every byte after the CRC field up to the block's end.
    public static final int BLOCK_CRC_OFFSET = 0;
    public static final int BLOCK_STREAM_ID_OFFSET = 4;
    public static final int BLOCK_BATCH_COUNT_OFFSET = 12;
    public static final int BLOCK_HEADER_SIZE = 16;

    // Batch header, inside a data block, followed by the payload.
    public static final int BATCH_BASE_OFFSET_OFFSET = 0;
    public static final int BATCH_COUNT_OFFSET = 8;
    public static final int BATCH_EPOCH_OFFSET = 12;
    public static final int BATCH_PAYLOAD_SIZE_OFFSET = 20;
    public static final int BATCH_HEADER_SIZE = 24;

    // Index: an entry count, then fixed-size entries.
    public static final int INDEX_ENTRY_COUNT_OFFSET = 0;
    public static final int INDEX_ENTRIES_OFFSET = 4;
    public static final int ENTRY_STREAM_ID_OFFSET = 0;
    public static final int ENTRY_START_OFFSET_OFFSET = 8;
    public static final int ENTRY_END_OFFSET_OFFSET = 16;
    public static final int ENTRY_RECORD_COUNT_OFFSET = 24;
    public static final int ENTRY_BLOCK_POSITION_OFFSET = 28;
    public static final int ENTRY_BLOCK_SIZE_OFFSET = 36;
    public static final int INDEX_ENTRY_SIZE = 40;

    // Footer: the last FOOTER_SIZE bytes of the object.
    public static final int FOOTER_INDEX_POSITION_OFFSET = 0;
    public static final int FOOTER_INDEX_SIZE_OFFSET = 8;
    public static final int FOOTER_INDEX_CRC_OFFSET = 12;
    public static final int FOOTER_OBJECT_ID_OFFSET = 16;
    public static final int FOOTER_VERSION_OFFSET = 24;
    public static final int FOOTER_MAGIC_OFFSET = 28;
    public static final int FOOTER_SIZE = 32;

    /** Default target size of a data block; a block is cut once it reaches this size. */
    public static final int DEFAULT_BLOCK_SIZE = 512 * 1024;

    private ObjectFormat() {
    }
}
