package dev.stratus.storage.format;

import java.nio.ByteBuffer;

import static dev.stratus.storage.format.ObjectFormat.*;

/** The fixed footer that ends every object: where the index is and how to check it. */
public record ObjectFooter(long indexPosition, int indexSize, int indexCrc, long objectId, int version) {

    ByteBuffer encode() {
        ByteBuffer buffer = ByteBuffer.allocate(FOOTER_SIZE);
        buffer.putLong(FOOTER_INDEX_POSITION_OFFSET, indexPosition);
        buffer.putInt(FOOTER_INDEX_SIZE_OFFSET, indexSize);
        buffer.putInt(FOOTER_INDEX_CRC_OFFSET, indexCrc);
        buffer.putLong(FOOTER_OBJECT_ID_OFFSET, objectId);
        buffer.putInt(FOOTER_VERSION_OFFSET, version);
        buffer.putInt(FOOTER_MAGIC_OFFSET, MAGIC);
        return buffer;
    }

    /**
     * Decodes the footer found in the last {@link ObjectFormat#FOOTER_SIZE} bytes of
     * {@code tail}, checking magic, version, object id and that the index lies before it.
     */
    static ObjectFooter decode(long expectedObjectId, long objectSize, ByteBuffer tail) {
        if (tail.remaining() < FOOTER_SIZE) {
            throw ObjectIndex.corrupt(expectedObjectId, "shorter than a footer: " + tail.remaining() + " bytes");
        }
        int at = tail.limit() - FOOTER_SIZE;
        if (tail.getInt(at + FOOTER_MAGIC_OFFSET) != MAGIC) {
            throw ObjectIndex.corrupt(expectedObjectId, "bad footer magic");
        }
        ObjectFooter footer = new ObjectFooter(
                tail.getLong(at + FOOTER_INDEX_POSITION_OFFSET),
                tail.getInt(at + FOOTER_INDEX_SIZE_OFFSET),
                tail.getInt(at + FOOTER_INDEX_CRC_OFFSET),
                tail.getLong(at + FOOTER_OBJECT_ID_OFFSET),
                tail.getInt(at + FOOTER_VERSION_OFFSET));
        if (footer.version() != VERSION) {
            throw ObjectIndex.corrupt(expectedObjectId, "unsupported format version " + footer.version());
        }
        if (footer.objectId() != expectedObjectId) {
            throw ObjectIndex.corrupt(expectedObjectId, "footer names object " + footer.objectId());
        }
        if (footer.indexPosition() < 0 || footer.indexSize() < INDEX_ENTRIES_OFFSET
                || footer.indexPosition() + footer.indexSize() != objectSize - FOOTER_SIZE) {
            throw ObjectIndex.corrupt(expectedObjectId, "index at " + footer.indexPosition() + " size "
                    + footer.indexSize() + " does not end at the footer of a " + objectSize + "-byte object");
        }
        return footer;
    }
}
