package dev.stratus.storage.read;

import dev.stratus.storage.format.ObjectIndexCache;
import dev.stratus.storage.format.ObjectReader;
import dev.stratus.storage.format.StreamSetObjectWriter;
import dev.stratus.storage.metadata.CommitRange;
import dev.stratus.storage.metadata.InMemoryStreamMetadataStore;
import dev.stratus.storage.objects.MemoryObjectStorage;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.objects.ObjectStorageStats.CallType;
import dev.stratus.storage.stream.StreamRecordBatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Catch-up reads over objects of small blocks (4 KiB, four 1000-byte batches each). */
class CatchUpReaderTest {

    private static final int BATCHES = 128;
    private static final int BATCH_BYTES = 1000;

    private final MemoryObjectStorage objects = new MemoryObjectStorage();
    private final InMemoryStreamMetadataStore metadata = new InMemoryStreamMetadataStore(Clock.systemUTC());
    private final List<StreamRecordBatch> written = new ArrayList<>();
    private long streamId;

    @BeforeEach
    void writeTwoObjects() {
        streamId = metadata.createStream().join();
        metadata.openStream(streamId, 0).join();
        writeObject(0, BATCHES / 2);
        writeObject(BATCHES / 2, BATCHES);
    }

    private void writeObject(int from, int to) {
        long objectId = metadata.prepareObjects(1, 60_000).join();
        StreamSetObjectWriter writer = new StreamSetObjectWriter(objectId, 4 * 1024);
        for (int i = from; i < to; i++) {
            ByteBuffer payload = ByteBuffer.allocate(BATCH_BYTES);
            payload.putInt(0, i);
            StreamRecordBatch batch = new StreamRecordBatch(streamId, 0, i, 1, payload);
            writer.add(batch);
            written.add(batch);
        }
        ByteBuffer object = writer.finish();
        long size = object.remaining();
        objects.put(ObjectKeys.objectKey(objectId), object).join();
        metadata.commitObject(objectId, size, List.of(new CommitRange(streamId, 0, from, to))).join();
    }

    private CatchUpReader reader(BlockCache cache, long readAheadBytes) {
        return new CatchUpReader(metadata, new ObjectReader(objects, new ObjectIndexCache(16)),
                new BlockLoader(objects, cache), new ReadAheadPolicy(readAheadBytes, 16));
    }

    /** Reads the whole stream one batch per read, as a consumer with a small fetch size would. */
    private static List<StreamRecordBatch> readSequentially(CatchUpReader reader, long streamId) {
        List<StreamRecordBatch> read = new ArrayList<>();
        long next = 0;
        while (next < BATCHES) {
            List<StreamRecordBatch> batches = reader.read(streamId, next, BATCHES, 1);
            assertThat(batches).isNotEmpty();
            read.addAll(batches);
            next = batches.get(batches.size() - 1).nextOffset();
        }
        return read;
    }

    private static int valueOf(StreamRecordBatch batch) {
        return batch.payload().getInt(0);
    }

    @Test
    void readsReturnWholeBatchesInOrderFromTheBlockHoldingTheStartOffset() {
        CatchUpReader reader = reader(new BlockCache(1024 * 1024), 0);
        List<StreamRecordBatch> batches = reader.read(streamId, 10, 20, 3 * BATCH_BYTES);
        assertThat(batches).extracting(StreamRecordBatch::baseOffset).containsExactly(10L, 11L, 12L);
        assertThat(batches).extracting(CatchUpReaderTest::valueOf).containsExactly(10, 11, 12);

        List<StreamRecordBatch> acrossObjects = reader.read(streamId, 62, BATCHES, 4 * BATCH_BYTES);
        assertThat(acrossObjects).extracting(StreamRecordBatch::baseOffset).containsExactly(62L, 63L, 64L, 65L);
    }

    @Test
    void aSecondReadOfTheSameBlocksIsServedByTheBlockCache() {
        BlockCache cache = new BlockCache(1024 * 1024);
        CatchUpReader reader = reader(cache, 0);
        reader.read(streamId, 0, 8, 8 * BATCH_BYTES);
        long gets = objects.stats().calls(CallType.GET);
        long hits = cache.hits();

        assertThat(reader.read(streamId, 0, 8, 8 * BATCH_BYTES)).hasSize(8);
        assertThat(objects.stats().calls(CallType.GET)).isEqualTo(gets);
        assertThat(cache.hits()).isGreaterThan(hits);
    }

    @Test
    void readAheadCutsTheGetsOfASequentialCatchUpRead() {
        CatchUpReader plain = reader(new BlockCache(1024 * 1024), 0);
        List<StreamRecordBatch> readPlain = readSequentially(plain, streamId);
        long plainGets = objects.stats().calls(CallType.GET);

        long before = objects.stats().calls(CallType.GET);
        CatchUpReader ahead = reader(new BlockCache(1024 * 1024), 64 * 1024);
        List<StreamRecordBatch> readAhead = readSequentially(ahead, streamId);
        long aheadGets = objects.stats().calls(CallType.GET) - before;

        assertThat(readPlain).extracting(CatchUpReaderTest::valueOf).containsExactlyElementsOf(
                written.stream().map(CatchUpReaderTest::valueOf).toList());
        assertThat(readAhead).extracting(CatchUpReaderTest::valueOf).containsExactlyElementsOf(
                written.stream().map(CatchUpReaderTest::valueOf).toList());
        // Without read-ahead: one GET per 4 KiB block (32) plus two indexes. With it: a few GETs per object.
        assertThat(plainGets).isGreaterThanOrEqualTo(BATCHES / 4);
        assertThat(aheadGets).isLessThanOrEqualTo(plainGets / 4);
    }

    @Test
    void randomReadsEarnNoReadAhead() {
        CatchUpReader reader = reader(new BlockCache(1024 * 1024), 64 * 1024);
        reader.read(streamId, 0, BATCHES, 1); // loads the index of the first object and block 0
        long before = objects.stats().calls(CallType.GET);
        long bytesBefore = objects.stats().bytes(CallType.GET);
        for (long offset : new long[] {40, 8, 56, 24}) {
            assertThat(reader.read(streamId, offset, BATCHES, 1)).extracting(StreamRecordBatch::baseOffset).containsExactly(offset);
        }
        assertThat(objects.stats().calls(CallType.GET) - before).isEqualTo(4);
        assertThat(objects.stats().bytes(CallType.GET) - bytesBefore).isLessThanOrEqualTo(4 * 6 * 1024);
    }

    /**
     * Eight sequential readers of eight streams, interleaved one batch at a time as a consumer of
     * eight partitions reads a backlog, through a 128 KiB block cache: returns GET bytes per byte read.
     */
    private double interleavedReadAmplification(ReadAheadPolicy policy) {
        List<Long> streams = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            long id = metadata.createStream().join();
            metadata.openStream(id, 0).join();
            long objectId = metadata.prepareObjects(1, 60_000).join();
            StreamSetObjectWriter writer = new StreamSetObjectWriter(objectId, 4 * 1024);
            for (int i = 0; i < BATCHES; i++) {
                writer.add(new StreamRecordBatch(id, 0, i, 1, ByteBuffer.allocate(BATCH_BYTES)));
            }
            ByteBuffer object = writer.finish();
            long size = object.remaining();
            objects.put(ObjectKeys.objectKey(objectId), object).join();
            metadata.commitObject(objectId, size, List.of(new CommitRange(id, 0, 0, BATCHES))).join();
            streams.add(id);
        }
        CatchUpReader reader = new CatchUpReader(metadata, new ObjectReader(objects, new ObjectIndexCache(16)),
                new BlockLoader(objects, new BlockCache(128 * 1024)), policy);
        long bytesBefore = objects.stats().bytes(CallType.GET);
        long[] next = new long[streams.size()];
        long returned = 0;
        for (int round = 0; round < BATCHES; round++) {
            for (int s = 0; s < streams.size(); s++) {
                List<StreamRecordBatch> batches = reader.read(streams.get(s), next[s], BATCHES, 1);
                assertThat(batches).isNotEmpty();
                next[s] = batches.get(batches.size() - 1).nextOffset();
                returned += batches.stream().mapToLong(StreamRecordBatch::sizeInBytes).sum();
            }
        }
        return (double) (objects.stats().bytes(CallType.GET) - bytesBefore) / returned;
    }

    @Test
    void interleavedReadersWhoseWindowsShareHalfTheCacheFetchEachBlockAboutOnce() {
        double unshared = interleavedReadAmplification(new ReadAheadPolicy(64 * 1024, 64));
        double shared = interleavedReadAmplification(new ReadAheadPolicy(64 * 1024, 64, 64 * 1024, System::nanoTime));

        // Eight 64 KiB windows overflow the 128 KiB cache: prefetched blocks are evicted before use.
        assertThat(unshared).isGreaterThan(2.0);
        assertThat(shared).isLessThan(1.3);
    }
}
