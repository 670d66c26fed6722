package dev.stratus.storage.format;

import dev.stratus.storage.objects.MemoryObjectStorage;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.objects.ObjectStorageStats.CallType;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamSetObjectFormatTest {

    private static final long OBJECT_ID = 42;

    private static StreamRecordBatch batch(long streamId, long base, int count, int size) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (streamId * 31 + base + i);
        }
        return new StreamRecordBatch(streamId, 3, base, count, ByteBuffer.wrap(payload));
    }

    private final MemoryObjectStorage storage = new MemoryObjectStorage();
    private final List<StreamRecordBatch> written = new ArrayList<>();

    private long writeObject() {
        StreamSetObjectWriter writer = new StreamSetObjectWriter(OBJECT_ID, 1024);
        for (long stream = 1; stream <= 3; stream++) {
            for (int i = 0; i < 20; i++) {
                StreamRecordBatch batch = batch(stream, 100 + i * 4L, 4, 100 + i * 13);
                written.add(batch);
                writer.add(batch);
            }
        }
        ByteBuffer object = writer.finish();
        long size = object.remaining();
        storage.put(ObjectKeys.objectKey(OBJECT_ID), object).join();
        return size;
    }

    @Test
    void everyBatchWrittenIsReadBackIdenticallyPerStream() throws Exception {
        long size = writeObject();
        ObjectReader reader = new ObjectReader(storage, new ObjectIndexCache(8));
        for (long stream = 1; stream <= 3; stream++) {
            long id = stream;
            List<StreamRecordBatch> read = reader.read(OBJECT_ID, size, stream, 0, Long.MAX_VALUE, Integer.MAX_VALUE)
                    .get(5, TimeUnit.SECONDS);
            assertThat(read).containsExactlyElementsOf(written.stream().filter(b -> b.streamId() == id).toList());
        }
    }

    @Test
    void indexDescribesEachBlockWithItsStreamOffsetsAndRecordCount() throws Exception {
        long size = writeObject();
        ObjectIndex index = new ObjectReader(storage, new ObjectIndexCache(8)).index(OBJECT_ID, size).get(5, TimeUnit.SECONDS);
        assertThat(index.entries()).hasSizeGreaterThan(3);
        for (long stream = 1; stream <= 3; stream++) {
            long id = stream;
            List<DataBlockIndexEntry> blocks = index.entries().stream().filter(e -> e.streamId() == id).toList();
            assertThat(blocks.get(0).startOffset()).isEqualTo(100);
            assertThat(blocks.get(blocks.size() - 1).endOffset()).isEqualTo(180);
            assertThat(blocks.stream().mapToInt(DataBlockIndexEntry::recordCount).sum()).isEqualTo(80);
        }
    }

    @Test
    void aRangedReadFetchesTheTailOnceThenOnlyTheBlocksItNeeds() throws Exception {
        long size = writeObject();
        ObjectReader reader = new ObjectReader(storage, new ObjectIndexCache(8));
        List<StreamRecordBatch> read = reader.read(OBJECT_ID, size, 2, 129, 131, Integer.MAX_VALUE).get(5, TimeUnit.SECONDS);
        assertThat(read).hasSize(1);
        assertThat(read.get(0).baseOffset()).isEqualTo(128);
        assertThat(storage.stats().calls(CallType.GET)).isEqualTo(2);
        reader.read(OBJECT_ID, size, 2, 129, 131, Integer.MAX_VALUE).get(5, TimeUnit.SECONDS);
        assertThat(storage.stats().calls(CallType.GET)).isEqualTo(3);
    }

    @Test
    void aCorruptDataBlockFailsItsCrcCheck() throws Exception {
        long size = writeObject();
        ByteBuffer object = storage.rangeRead(ObjectKeys.objectKey(OBJECT_ID), 0, size).get();
        ByteBuffer copy = ByteBuffer.allocate(object.remaining()).put(object).flip();
        copy.put(ObjectFormat.BLOCK_HEADER_SIZE + ObjectFormat.BATCH_HEADER_SIZE + 5, (byte) 0x7F);
        storage.put(ObjectKeys.objectKey(OBJECT_ID), copy).join();
        ObjectReader reader = new ObjectReader(storage, new ObjectIndexCache(8));
        assertThatThrownBy(() -> reader.read(OBJECT_ID, size, 1, 0, 104, Integer.MAX_VALUE).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StreamException.class).hasMessageContaining("CRC");
    }

    @Test
    void batchesOutOfStreamOrderAreRejectedByTheWriter() {
        StreamSetObjectWriter writer = new StreamSetObjectWriter(1);
        writer.add(batch(2, 0, 1, 10));
        assertThatThrownBy(() -> writer.add(batch(1, 0, 1, 10))).isInstanceOf(IllegalArgumentException.class);
    }
}
