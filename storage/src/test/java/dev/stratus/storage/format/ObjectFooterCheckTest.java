package dev.stratus.storage.format;

import dev.stratus.storage.objects.MemoryObjectStorage;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A reader checks an object's footer and index before trusting them: a foreign or damaged object
 * is rejected with an error that names the object and what is wrong, never read as data.
 */
class ObjectFooterCheckTest {

    private static final long OBJECT_ID = 42;

    private final MemoryObjectStorage storage = new MemoryObjectStorage();

    /** A valid stream set object of two streams, as bytes that the test may damage before storing. */
    private static ByteBuffer validObject() {
        StreamSetObjectWriter writer = new StreamSetObjectWriter(OBJECT_ID, 1024);
        for (long stream = 1; stream <= 2; stream++) {
            for (int i = 0; i < 10; i++) {
                byte[] payload = new byte[300];
                payload[0] = (byte) (stream + i);
                writer.add(new StreamRecordBatch(stream, 0, i * 3L, 3, ByteBuffer.wrap(payload)));
            }
        }
        ByteBuffer finished = writer.finish();
        return ByteBuffer.allocate(finished.remaining()).put(finished).flip();
    }

    private static int footerStart(ByteBuffer object) {
        return object.limit() - ObjectFormat.FOOTER_SIZE;
    }

    /** Stores {@code object} under {@code objectId} and reads its index the way every reader starts. */
    private void assertIndexRejected(long objectId, ByteBuffer object, String why) {
        long size = object.remaining();
        storage.put(ObjectKeys.objectKey(objectId), object).join();
        ObjectReader reader = new ObjectReader(storage, new ObjectIndexCache(8));
        assertThatThrownBy(() -> reader.index(objectId, size).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StreamException.class)
                .hasMessageContaining("corrupt object " + objectId).hasMessageContaining(why)
                .extracting(e -> ((StreamException) e).code()).isEqualTo(StreamErrorCode.UNEXPECTED);
    }

    @Test
    void anUntouchedObjectPassesEveryCheck() throws Exception {
        ByteBuffer object = validObject();
        long size = object.remaining();
        storage.put(ObjectKeys.objectKey(OBJECT_ID), object).join();
        ObjectIndex index = new ObjectReader(storage, new ObjectIndexCache(8)).index(OBJECT_ID, size).get(5, TimeUnit.SECONDS);
        assertThat(index.entries()).extracting(DataBlockIndexEntry::streamId).contains(1L, 2L);
    }

    @Test
    void aBadFooterMagicIsRejected() {
        ByteBuffer object = validObject();
        object.putInt(footerStart(object) + ObjectFormat.FOOTER_MAGIC_OFFSET, 0x53544F32);
        assertIndexRejected(OBJECT_ID, object, "bad footer magic");
    }

    @Test
    void anUnknownFormatVersionIsRejected() {
        ByteBuffer object = validObject();
        object.putInt(footerStart(object) + ObjectFormat.FOOTER_VERSION_OFFSET, ObjectFormat.VERSION + 1);
        assertIndexRejected(OBJECT_ID, object, "unsupported format version " + (ObjectFormat.VERSION + 1));
    }

    @Test
    void aFooterNamingAnotherObjectIsRejected() {
        // Object 42's bytes found under the key of object 43 (a misplaced copy, a bug in key derivation).
        assertIndexRejected(OBJECT_ID + 1, validObject(), "footer names object " + OBJECT_ID);
    }

    @Test
    void anIndexWhoseCrcDoesNotMatchTheFooterIsRejected() {
        ByteBuffer object = validObject();
        int indexPosition = (int) object.getLong(footerStart(object) + ObjectFormat.FOOTER_INDEX_POSITION_OFFSET);
        int recordCountAt = indexPosition + ObjectFormat.INDEX_ENTRIES_OFFSET + ObjectFormat.ENTRY_RECORD_COUNT_OFFSET;
        object.putInt(recordCountAt, object.getInt(recordCountAt) + 1);
        assertIndexRejected(OBJECT_ID, object, "index CRC mismatch");
    }
}
