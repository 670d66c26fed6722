package dev.stratus.storage.format;

import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static dev.stratus.storage.format.ObjectFormat.*;

/**
 * The decoded index of one object: its data blocks sorted by stream id then offset. Immutable,
 * shared between readers through {@link ObjectIndexCache}.
 */
public final class ObjectIndex {

    private final long objectId;
    private final List<DataBlockIndexEntry> entries;

    public ObjectIndex(long objectId, List<DataBlockIndexEntry> entries) {
        this.objectId = objectId;
        this.entries = List.copyOf(entries);
    }

    public long objectId() {
        return objectId;
    }

    public List<DataBlockIndexEntry> entries() {
        return entries;
    }

    /** Entries of {@code streamId} overlapping {@code [start, end)}, in offset order. */
    public List<DataBlockIndexEntry> blocksFor(long streamId, long start, long end) {
        List<DataBlockIndexEntry> result = new ArrayList<>();
        for (DataBlockIndexEntry entry : entries) {
            if (entry.overlaps(streamId, start, end)) {
                result.add(entry);
            }
        }
        return result;
    }

    /** Encodes the index block (entry count, entries). */
    static ByteBuffer encode(List<DataBlockIndexEntry> entries) {
        ByteBuffer buffer = ByteBuffer.allocate(INDEX_ENTRIES_OFFSET + entries.size() * INDEX_ENTRY_SIZE);
        buffer.putInt(INDEX_ENTRY_COUNT_OFFSET, entries.size());
        int at = INDEX_ENTRIES_OFFSET;
        for (DataBlockIndexEntry entry : entries) {
            buffer.putLong(at + ENTRY_STREAM_ID_OFFSET, entry.streamId());
            buffer.putLong(at + ENTRY_START_OFFSET_OFFSET, entry.startOffset());
            buffer.putLong(at + ENTRY_END_OFFSET_OFFSET, entry.endOffset());
            buffer.putInt(at + ENTRY_RECORD_COUNT_OFFSET, entry.recordCount());
            buffer.putLong(at + ENTRY_BLOCK_POSITION_OFFSET, entry.blockPosition());
            buffer.putInt(at + ENTRY_BLOCK_SIZE_OFFSET, entry.blockSize());
            at += INDEX_ENTRY_SIZE;
        }
        return buffer;
    }

    /** Decodes and checks an index block read at the position the footer named. */
    static ObjectIndex decode(long objectId, ObjectFooter footer, ByteBuffer index) {
        if (index.remaining() != footer.indexSize()) {
            throw corrupt(objectId, "index is " + index.remaining() + " bytes, footer says " + footer.indexSize());
        }
        CRC32C crc = new CRC32C();
        crc.update(index.duplicate());
        if ((int) crc.getValue() != footer.indexCrc()) {
            throw corrupt(objectId, "index CRC mismatch");
        }
        int base = index.position();
        int count = index.getInt(base + INDEX_ENTRY_COUNT_OFFSET);
        if (count < 0 || INDEX_ENTRIES_OFFSET + (long) count * INDEX_ENTRY_SIZE != footer.indexSize()) {
            throw corrupt(objectId, "index entry count " + count + " does not match its size " + footer.indexSize());
        }
        List<DataBlockIndexEntry> entries = new ArrayList<>(count);
        int at = base + INDEX_ENTRIES_OFFSET;
        for (int i = 0; i < count; i++) {
            DataBlockIndexEntry entry = new DataBlockIndexEntry(
                    index.getLong(at + ENTRY_STREAM_ID_OFFSET),
                    index.getLong(at + ENTRY_START_OFFSET_OFFSET),
                    index.getLong(at + ENTRY_END_OFFSET_OFFSET),
                    index.getInt(at + ENTRY_RECORD_COUNT_OFFSET),
                    index.getLong(at + ENTRY_BLOCK_POSITION_OFFSET),
                    index.getInt(at + ENTRY_BLOCK_SIZE_OFFSET));
            if (entry.blockPosition() < 0 || entry.blockSize() < BLOCK_HEADER_SIZE
                    || entry.blockPosition() + entry.blockSize() > footer.indexPosition()) {
                throw corrupt(objectId, "index entry " + i + " points outside the data area: " + entry);
            }
            entries.add(entry);
            at += INDEX_ENTRY_SIZE;
        }
        return new ObjectIndex(objectId, entries);
    }

    static StreamException corrupt(long objectId, String why) {
        return new StreamException(StreamErrorCode.UNEXPECTED, "corrupt object " + objectId + ": " + why);
    }
}
