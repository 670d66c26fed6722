package dev.stratus.storage.format;

import dev.stratus.storage.stream.StreamRecordBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An object read whole into memory (compaction reads its inputs this way: one GET each):
 * footer and index checked and decoded, data blocks decoded on demand. Batches share the
 * object's buffer.
 *
 * <p>Immutable; safe to read from any thread.
 */
public final class ObjectBytes {

    private final long objectId;
    private final ByteBuffer bytes;
    private final ObjectIndex index;

    private ObjectBytes(long objectId, ByteBuffer bytes, ObjectIndex index) {
        this.objectId = objectId;
        this.bytes = bytes;
        this.index = index;
    }

    /** Checks and decodes the footer and index of a whole object; throws {@code UNEXPECTED} when corrupt. */
    public static ObjectBytes parse(long objectId, ByteBuffer object) {
        ByteBuffer whole = object.slice();
        ObjectFooter footer = ObjectFooter.decode(objectId, whole.remaining(), whole.duplicate());
        ByteBuffer indexBytes = whole.duplicate().position((int) footer.indexPosition())
                .limit((int) footer.indexPosition() + footer.indexSize()).slice();
        return new ObjectBytes(objectId, whole, ObjectIndex.decode(objectId, footer, indexBytes));
    }

    public long objectId() {
        return objectId;
    }

    public ObjectIndex index() {
        return index;
    }

    /** Every batch of {@code streamId} in the object, in offset order (each block's CRC checked). */
    public List<StreamRecordBatch> batches(long streamId) {
        List<StreamRecordBatch> result = new ArrayList<>();
        for (DataBlockIndexEntry entry : index.entries()) {
            if (entry.streamId() != streamId) {
                continue;
            }
            ByteBuffer block = bytes.duplicate().position((int) entry.blockPosition())
                    .limit((int) (entry.blockPosition() + entry.blockSize())).slice();
            result.addAll(DataBlockDecoder.decode(objectId, entry, block));
        }
        return result;
    }
}
