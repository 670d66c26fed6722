package dev.stratus.storage.format;

import dev.stratus.storage.objects.MemoryObjectStorage;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.stream.StreamRecordBatch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stream object writer on its own: one stream's contiguous batches, read back through {@link ObjectReader}. */
class StreamObjectFormatTest {

    private static final long OBJECT_ID = 7;
    private static final long STREAM_ID = 3;

    private final MemoryObjectStorage storage = new MemoryObjectStorage();

    private static StreamRecordBatch batch(long streamId, long base, int count, int size, Random random) {
        byte[] payload = new byte[size];
        random.nextBytes(payload);
        return new StreamRecordBatch(streamId, 2, base, count, ByteBuffer.wrap(payload));
    }

    /** Writes 40 batches of the stream from offset 500 into blocks of about 2 KiB; returns them. */
    private List<StreamRecordBatch> writeObject(StreamObjectWriter writer) {
        Random random = new Random(11);
        List<StreamRecordBatch> written = new ArrayList<>();
        long offset = 500;
        for (int i = 0; i < 40; i++) {
            StreamRecordBatch batch = batch(STREAM_ID, offset, 1 + i % 5, 50 + random.nextInt(600), random);
            writer.add(batch);
            written.add(batch);
            offset = batch.nextOffset();
        }
        return written;
    }

    @Test
    void everyBatchOfTheStreamIsReadBackIdentically() throws Exception {
        StreamObjectWriter writer = new StreamObjectWriter(OBJECT_ID, STREAM_ID, 2048);
        List<StreamRecordBatch> written = writeObject(writer);
        ByteBuffer object = writer.finish();
        long size = object.remaining();
        storage.put(ObjectKeys.objectKey(OBJECT_ID), object).join();

        ObjectReader reader = new ObjectReader(storage, new ObjectIndexCache(8));
        List<StreamRecordBatch> read = reader.read(OBJECT_ID, size, STREAM_ID, 0, Long.MAX_VALUE, Integer.MAX_VALUE)
                .get(5, TimeUnit.SECONDS);

        assertThat(read).containsExactlyElementsOf(written);
    }

    @Test
    void theIndexCoversExactlyTheWrittenRangeOfTheOneStream() throws Exception {
        StreamObjectWriter writer = new StreamObjectWriter(OBJECT_ID, STREAM_ID, 2048);
        List<StreamRecordBatch> written = writeObject(writer);
        ByteBuffer object = writer.finish();
        long size = object.remaining();
        storage.put(ObjectKeys.objectKey(OBJECT_ID), object).join();

        ObjectIndex index = new ObjectReader(storage, new ObjectIndexCache(8)).index(OBJECT_ID, size).get(5, TimeUnit.SECONDS);

        assertThat(index.entries()).hasSizeGreaterThan(1).allSatisfy(e -> assertThat(e.streamId()).isEqualTo(STREAM_ID));
        assertThat(index.entries().get(0).startOffset()).isEqualTo(500).isEqualTo(writer.startOffset());
        assertThat(index.entries().get(index.entries().size() - 1).endOffset())
                .isEqualTo(written.get(written.size() - 1).nextOffset()).isEqualTo(writer.endOffset());
        assertThat(index.entries().stream().mapToInt(DataBlockIndexEntry::recordCount).sum())
                .isEqualTo(written.stream().mapToInt(StreamRecordBatch::count).sum());
    }

    @Test
    void aBatchOfAnotherStreamIsRejected() {
        StreamObjectWriter writer = new StreamObjectWriter(OBJECT_ID, STREAM_ID, 2048);
        assertThatThrownBy(() -> writer.add(batch(STREAM_ID + 1, 0, 1, 10, new Random(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream " + (STREAM_ID + 1));
    }

    @Test
    void aBatchThatLeavesAGapIsRejected() {
        StreamObjectWriter writer = new StreamObjectWriter(OBJECT_ID, STREAM_ID, 2048);
        writer.add(batch(STREAM_ID, 0, 5, 10, new Random(1)));
        assertThatThrownBy(() -> writer.add(batch(STREAM_ID, 6, 1, 10, new Random(2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends at 5");
    }

    @Test
    void anEmptyStreamObjectCannotBeFinished() {
        StreamObjectWriter writer = new StreamObjectWriter(OBJECT_ID, STREAM_ID, 2048);
        assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class);
    }
}
