package dev.stratus.storage.engine;

import dev.stratus.storage.metadata.InMemoryStreamMetadataStore;
import dev.stratus.storage.objects.FsObjectStorage;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.objects.ObjectStorageStats.CallType;
import dev.stratus.storage.stream.FetchResult;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.wal.FileWriteAheadLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class StreamStorageEngineTest {

    @TempDir
    Path dir;

    private final InMemoryStreamMetadataStore metadata = new InMemoryStreamMetadataStore(Clock.systemUTC());
    private FsObjectStorage objects;
    private final List<StreamStorageEngine> engines = new ArrayList<>();

    @AfterEach
    void tearDown() {
        engines.forEach(StreamStorageEngine::close);
        if (objects != null) {
            objects.close();
        }
    }

    private StorageConfig config(long uploadThresholdBytes, long logCacheBytes) {
        return new StorageConfig(dir.resolve("wal"), 4L * 1024 * 1024, 2_000, uploadThresholdBytes, 60_000,
                logCacheBytes, 256 * 1024);
    }

    private StreamStorageEngine engine(StorageConfig config) {
        if (objects == null) {
            objects = new FsObjectStorage(dir.resolve("objects"));
        }
        StreamStorageEngine engine = new StreamStorageEngine(config, objects, metadata, Clock.systemUTC());
        engines.add(engine);
        engine.start().join();
        return engine;
    }

    private StreamStorageEngine engine() {
        return engine(config(64L * 1024 * 1024, 64L * 1024 * 1024));
    }

    private static StreamRecordBatch batch(long stream, long base, int count, int size) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (stream * 7 + base * 3 + i);
        }
        return new StreamRecordBatch(stream, 0, base, count, ByteBuffer.wrap(payload));
    }

    /** Appends {@code batches} batches of 5 records and returns them as acknowledged. */
    private static List<StreamRecordBatch> appendMany(Stream stream, int batches) {
        List<StreamRecordBatch> acked = new ArrayList<>();
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            StreamRecordBatch batch = batch(stream.streamId(), stream.nextOffset(), 5, 50 + (i * 97) % 3_000);
            acked.add(new StreamRecordBatch(stream.streamId(), stream.epoch(), batch.baseOffset(), batch.count(), batch.payloadView()));
            futures.add(stream.append(batch));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        return acked;
    }

    /** Reads everything from {@code from} to the confirmed offset, fetch after fetch. */
    private static List<StreamRecordBatch> readAll(Stream stream, long from, int maxBytes) {
        List<StreamRecordBatch> read = new ArrayList<>();
        long next = from;
        while (next < stream.confirmedOffset()) {
            FetchResult result = stream.fetch(next, Long.MAX_VALUE, maxBytes).join();
            assertThat(result.batches()).isNotEmpty();
            read.addAll(result.batches());
            next = result.batches().get(result.batches().size() - 1).nextOffset();
        }
        return read;
    }

    private Stream open(StreamStorageEngine engine, long epoch) {
        long id = engine.createStream().join();
        return engine.openStream(id, epoch).join();
    }

    @Test
    void acknowledgedAppendsAreReadableFromTheLogCache() {
        StreamStorageEngine engine = engine();
        Stream stream = open(engine, 0);
        List<CopyOnWriteArrayList<Long>> confirmed = List.of(new CopyOnWriteArrayList<>());
        stream.onConfirm((id, offset) -> confirmed.get(0).add(offset));
        List<StreamRecordBatch> acked = appendMany(stream, 30);

        assertThat(stream.confirmedOffset()).isEqualTo(150).isEqualTo(stream.nextOffset());
        assertThat(confirmed.get(0)).isSorted().last().isEqualTo(150L);
        assertThat(readAll(stream, 0, 4_000)).containsExactlyElementsOf(acked);
        // A fetch starting inside a batch returns that whole batch first.
        assertThat(stream.fetch(12, 13, 1).join().batches()).containsExactly(acked.get(2));
        assertThat(objects.stats().calls(CallType.GET)).isZero();
    }

    @Test
    void uploadedBatchesAreReadFromObjectsOnceTheCacheEvictsThem() {
        StreamStorageEngine engine = engine(config(64L * 1024 * 1024, 0));
        Stream first = open(engine, 0);
        Stream second = open(engine, 0);
        List<StreamRecordBatch> ackedFirst = appendMany(first, 40);
        List<StreamRecordBatch> ackedSecond = appendMany(second, 10);
        engine.uploadAll().join();

        assertThat(engine.cache().sizeInBytes()).isZero();
        assertThat(metadata.committedObjects()).hasSize(1);
        assertThat(metadata.describeStream(first.streamId()).join().endOffset()).isEqualTo(200);
        assertThat(readAll(first, 0, 10_000)).containsExactlyElementsOf(ackedFirst);
        assertThat(readAll(second, 0, 1)).containsExactlyElementsOf(ackedSecond);
        assertThat(objects.stats().calls(CallType.GET)).isPositive();
        assertThat(engine.wal().trimPosition()).isEqualTo(engine.wal().confirmedPosition());
    }

    @Test
    void readsSpanObjectsAndTheCacheWhenOnlyPartOfTheStreamIsUploaded() {
        StreamStorageEngine engine = engine(config(64L * 1024 * 1024, 0));
        Stream stream = open(engine, 0);
        List<StreamRecordBatch> acked = appendMany(stream, 10);
        engine.uploadAll().join();
        acked.addAll(appendMany(stream, 10));
        assertThat(stream.fetch(0, Long.MAX_VALUE, Integer.MAX_VALUE).join().batches()).containsExactlyElementsOf(acked);
    }

    @Test
    void passingTheUploadThresholdUploadsWithoutBeingAsked() {
        StreamStorageEngine engine = engine(config(64 * 1024, 64L * 1024 * 1024));
        Stream stream = open(engine, 0);
        appendMany(stream, 100);
        await().atMost(Duration.ofSeconds(10)).until(() -> !metadata.committedObjects().isEmpty());
    }

    @Test
    void theUploadTimerUploadsAndTrimsTheWalWithoutBeingAsked() {
        // A threshold no test reaches: only the 100 ms timer can start an upload.
        StreamStorageEngine engine = engine(new StorageConfig(dir.resolve("wal"), 4L * 1024 * 1024, 2_000,
                1L << 40, 100, 64L * 1024 * 1024, 256 * 1024));
        Stream stream = open(engine, 0);
        List<StreamRecordBatch> acked = appendMany(stream, 5);
        long appendedEnd = engine.wal().confirmedPosition();
        assertThat(engine.wal().trimPosition()).isLessThan(appendedEnd);

        await().atMost(Duration.ofSeconds(10)).until(() -> !metadata.committedObjects().isEmpty()
                && engine.wal().trimPosition() >= appendedEnd);

        assertThat(metadata.describeStream(stream.streamId()).join().endOffset()).isEqualTo(25);
        assertThat(readAll(stream, 0, 100_000)).containsExactlyElementsOf(acked);
    }

    @Test
    void afterACrashANewEngineRecoversEveryAcknowledgedBatchIntoObjects() {
        StreamStorageEngine crashed = engine();
        Map<Long, List<StreamRecordBatch>> acked = new HashMap<>();
        List<Stream> streams = List.of(open(crashed, 0), open(crashed, 0), open(crashed, 0));
        for (Stream stream : streams) {
            acked.put(stream.streamId(), appendMany(stream, 25));
        }
        crashed.uploadAll().join();
        for (Stream stream : streams) {
            acked.get(stream.streamId()).addAll(appendMany(stream, 25));
        }
        crashed.close();
        assertThat(metadata.describeStream(streams.get(0).streamId()).join().endOffset()).isEqualTo(125);

        StreamStorageEngine recovered = engine();
        for (Stream before : streams) {
            Stream after = recovered.openStream(before.streamId(), 1).join();
            assertThat(after.confirmedOffset()).isEqualTo(250);
            List<StreamRecordBatch> read = readAll(after, 0, 8_000);
            assertThat(read).containsExactlyElementsOf(acked.get(before.streamId()));
        }
    }

    @Test
    void gracefulShutdownUploadsEverythingSoTheNextStartReplaysNothing() {
        StreamStorageEngine engine = engine();
        Stream stream = open(engine, 0);
        List<StreamRecordBatch> acked = appendMany(stream, 20);
        engine.shutdown().join();

        assertThat(objects.list(ObjectKeys.OBJECTS_PREFIX).join()).hasSize(1);
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(1, 1).walConfig())) {
            assertThat(wal.start().records()).isZero();
        }
        StreamStorageEngine restarted = engine();
        Stream reopened = restarted.openStream(stream.streamId(), 1).join();
        assertThat(readAll(reopened, 0, 100_000)).containsExactlyElementsOf(acked);
    }

    @Test
    void openingWithAHigherEpochFencesTheEarlierOpener() {
        StreamStorageEngine engine = engine();
        Stream old = open(engine, 1);
        appendMany(old, 3);
        Stream current = engine.openStream(old.streamId(), 2).join();

        assertFails(old.append(batch(old.streamId(), 15, 1, 10)), StreamErrorCode.FENCED);
        assertFails(engine.openStream(old.streamId(), 1), StreamErrorCode.FENCED);
        // The new opener on the same node continues the data the old one wrote.
        assertThat(current.nextOffset()).isEqualTo(15);
        appendMany(current, 2);
        engine.uploadAll().join();
        assertThat(metadata.describeStream(old.streamId()).join().endOffset()).isEqualTo(25);
    }

    @Test
    void dataOfAWriterFencedByAnotherNodeIsNeverCommitted() {
        StreamStorageEngine engine = engine();
        Stream old = open(engine, 1);
        appendMany(old, 3);
        metadata.openStream(old.streamId(), 2).join();
        engine.uploadAll().join();

        assertThat(metadata.describeStream(old.streamId()).join().endOffset()).isZero();
        assertThat(metadata.committedObjects()).isEmpty();
        assertThat(engine.wal().trimPosition()).isEqualTo(engine.wal().confirmedPosition());
    }

    @Test
    void appendsThatDoNotContinueTheStreamOrAreTooLargeAreRejected() {
        StreamStorageEngine engine = engine();
        Stream stream = open(engine, 0);
        assertFails(stream.append(batch(stream.streamId(), 3, 1, 10)), StreamErrorCode.OFFSET_MISMATCH);
        assertFails(stream.append(batch(stream.streamId(), 0, 1, 300 * 1024)), StreamErrorCode.RECORD_TOO_LARGE);
        assertFails(stream.fetch(1, 10, 100), StreamErrorCode.OFFSET_OUT_OF_RANGE);
        stream.append(batch(stream.streamId(), 0, 1, 10)).join();
    }

    @Test
    void closingAStreamUploadsItsDataAndReleasesIt() {
        StreamStorageEngine engine = engine();
        Stream stream = open(engine, 0);
        appendMany(stream, 5);
        stream.close().join();
        assertThat(metadata.describeStream(stream.streamId()).join().endOffset()).isEqualTo(25);
        assertFails(stream.append(batch(stream.streamId(), 25, 1, 10)), StreamErrorCode.STREAM_CLOSED);
    }

    @Test
    void trimMovesTheStartOffsetAndRejectsReadsBelowIt() {
        StreamStorageEngine engine = engine();
        Stream stream = open(engine, 0);
        appendMany(stream, 5);
        stream.trim(10).join();
        assertThat(stream.startOffset()).isEqualTo(10);
        assertThat(metadata.describeStream(stream.streamId()).join().startOffset()).isEqualTo(10);
        assertFails(stream.fetch(5, 20, 100), StreamErrorCode.OFFSET_OUT_OF_RANGE);
    }

    private static void assertFails(CompletableFuture<?> future, StreamErrorCode code) {
        assertThatThrownBy(future::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(StreamException.class).extracting(e -> ((StreamException) e).code()).isEqualTo(code);
    }
}
