package dev.stratus.storage.engine;

import dev.stratus.storage.metadata.InMemoryStreamMetadataStore;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.StreamOffsetRange;
import dev.stratus.storage.objects.MemoryObjectStorage;
import dev.stratus.storage.stream.FetchResult;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.testing.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uploading one stream on demand ({@link StreamStorageEngine#uploadStream}, what a partition move
 * and a stream's close need): only that stream's data is committed, the others stay in the WAL,
 * and the WAL is never trimmed past data of a stream that is not uploaded.
 */
class UploadStreamTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000_000);
    private final InMemoryStreamMetadataStore metadata = new InMemoryStreamMetadataStore(clock);
    private final MemoryObjectStorage objects = new MemoryObjectStorage();
    private final List<StreamStorageEngine> engines = new ArrayList<>();
    /** What each stream must hold: acknowledged batches in offset order. */
    private final Map<Long, List<StreamRecordBatch>> acked = new HashMap<>();

    @AfterEach
    void tearDown() {
        engines.forEach(StreamStorageEngine::close);
    }

    /** Uploads only when asked, no tail cache: reads of data not uploaded go back to the WAL. */
    private StreamStorageEngine engine() {
        StorageConfig config = new StorageConfig(dir.resolve("wal"), 8L * 1024 * 1024, 2_000, 64L * 1024 * 1024, 600_000,
                0, 256 * 1024).withCompactionIntervalMs(0);
        StreamStorageEngine engine = new StreamStorageEngine(config, objects, metadata, clock);
        engines.add(engine);
        engine.start().join();
        return engine;
    }

    private Stream open(StreamStorageEngine engine) {
        return engine.openStream(engine.createStream().join(), 0).join();
    }

    private void append(Stream stream, int batches) {
        Random random = new Random(stream.streamId() * 1_000 + stream.nextOffset());
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            byte[] payload = new byte[200 + random.nextInt(2_000)];
            random.nextBytes(payload);
            StreamRecordBatch batch = new StreamRecordBatch(stream.streamId(), stream.epoch(), stream.nextOffset(), 5,
                    ByteBuffer.wrap(payload));
            acked.computeIfAbsent(stream.streamId(), id -> new ArrayList<>()).add(batch);
            futures.add(stream.append(batch));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    }

    private static List<StreamRecordBatch> readAll(Stream stream) {
        List<StreamRecordBatch> read = new ArrayList<>();
        long next = stream.startOffset();
        while (next < stream.confirmedOffset()) {
            FetchResult result = stream.fetch(next, Long.MAX_VALUE, 8_000).join();
            assertThat(result.batches()).as("read of stream %d at %d", stream.streamId(), next).isNotEmpty();
            read.addAll(result.batches());
            next = result.batches().get(result.batches().size() - 1).nextOffset();
        }
        return read;
    }

    private long committedEnd(Stream stream) {
        return metadata.describeStream(stream.streamId()).join().endOffset();
    }

    /** Every committed range of the stream, in offset order. */
    private List<StreamOffsetRange> rangesOf(long streamId) {
        return metadata.committedObjects().stream().map(o -> o.rangeOf(streamId)).filter(r -> r != null)
                .sorted(Comparator.comparingLong(StreamOffsetRange::startOffset)).toList();
    }

    @Test
    void uploadingOneStreamCommitsObjectsHoldingOnlyThatStream() {
        StreamStorageEngine engine = engine();
        Stream a = open(engine);
        Stream b = open(engine);
        for (int i = 0; i < 3; i++) {
            append(a, 4);
            append(b, 4);
        }

        engine.uploadStream(a.streamId()).join();

        assertThat(metadata.committedObjects()).isNotEmpty().allSatisfy(object ->
                assertThat(object.ranges()).extracting(StreamOffsetRange::streamId).containsOnly(a.streamId()));
        assertThat(committedEnd(a)).isEqualTo(a.confirmedOffset());
        assertThat(rangesOf(a.streamId())).extracting(StreamOffsetRange::startOffset).first().isEqualTo(0L);
        assertThat(readAll(a)).containsExactlyElementsOf(acked.get(a.streamId()));
    }

    @Test
    void anotherStreamsDataStaysInTheWalUnUploadedAndReadable() {
        StreamStorageEngine engine = engine();
        Stream a = open(engine);
        Stream b = open(engine);
        long trimBefore = engine.wal().trimPosition();
        append(b, 5);
        append(a, 5);
        append(b, 5);

        engine.uploadStream(a.streamId()).join();

        assertThat(committedEnd(b)).isZero();
        assertThat(rangesOf(b.streamId())).isEmpty();
        assertThat(engine.wal().trimPosition()).as("B's records come first: nothing may be trimmed")
                .isEqualTo(trimBefore);
        assertThat(readAll(b)).containsExactlyElementsOf(acked.get(b.streamId()));
    }

    @Test
    void theWalIsTrimmedOverTheUploadedStreamsLeadingRecordsButNotPastAnotherStreams() {
        StreamStorageEngine engine = engine();
        Stream a = open(engine);
        Stream b = open(engine);
        append(a, 5);
        engine.wal().barrier().join();
        long endOfLeadingA = engine.wal().confirmedPosition();
        append(b, 5);
        append(a, 5);

        engine.uploadStream(a.streamId()).join();

        assertThat(engine.wal().trimPosition()).isEqualTo(endOfLeadingA);
        assertThat(committedEnd(a)).isEqualTo(50);
        assertThat(readAll(b)).containsExactlyElementsOf(acked.get(b.streamId()));

        engine.uploadAll().join();

        assertThat(engine.wal().trimPosition()).isEqualTo(engine.wal().confirmedPosition());
        assertThat(committedEnd(b)).isEqualTo(25);
        assertThat(rangesOf(a.streamId())).as("A's data committed once, not again by the whole upload")
                .singleElement().isEqualTo(new StreamOffsetRange(a.streamId(), 0, 50));
    }

    @Test
    void aRestartAfterUploadingOneStreamRecoversBothStreamsIntactWithoutDuplicates() {
        StreamStorageEngine crashed = engine();
        Stream a = open(crashed);
        Stream b = open(crashed);
        for (int i = 0; i < 4; i++) {
            append(b, 3);
            append(a, 3);
        }
        crashed.uploadStream(a.streamId()).join();
        append(a, 2);
        crashed.close();

        StreamStorageEngine recovered = engine();

        for (Stream before : List.of(a, b)) {
            Stream after = recovered.openStream(before.streamId(), 1).join();
            List<StreamRecordBatch> expected = acked.get(before.streamId());
            assertThat(after.confirmedOffset()).isEqualTo(expected.get(expected.size() - 1).nextOffset());
            assertThat(readAll(after)).containsExactlyElementsOf(expected);
            List<StreamOffsetRange> ranges = rangesOf(before.streamId());
            long next = 0;
            for (StreamOffsetRange range : ranges) {
                assertThat(range.startOffset()).as("ranges of stream %d: %s", before.streamId(), ranges).isEqualTo(next);
                next = range.endOffset();
            }
            assertThat(next).isEqualTo(after.confirmedOffset());
        }
    }

    @Test
    void uploadsOfSeveralStreamsRequestedTogetherCommitThoseStreamsAndNoOther() {
        StreamStorageEngine engine = engine();
        List<Stream> requested = List.of(open(engine), open(engine), open(engine));
        Stream other = open(engine);
        for (int i = 0; i < 3; i++) {
            requested.forEach(stream -> append(stream, 3));
            append(other, 3);
        }

        List<CompletableFuture<Void>> uploads = requested.stream().map(s -> engine.uploadStream(s.streamId())).toList();
        CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new)).join();

        for (Stream stream : requested) {
            assertThat(committedEnd(stream)).isEqualTo(stream.confirmedOffset());
            assertThat(readAll(stream)).containsExactlyElementsOf(acked.get(stream.streamId()));
        }
        assertThat(committedEnd(other)).isZero();
        assertThat(rangesOf(other.streamId())).isEmpty();
        assertThat(readAll(other)).containsExactlyElementsOf(acked.get(other.streamId()));
    }

    @Test
    void closingAStreamUploadsThatStreamOnly() {
        StreamStorageEngine engine = engine();
        Stream a = open(engine);
        Stream b = open(engine);
        append(a, 5);
        append(b, 5);

        a.close().join();

        assertThat(committedEnd(a)).isEqualTo(25);
        assertThat(committedEnd(b)).isZero();
        assertThat(metadata.committedObjects()).extracting(ObjectMetadata::ranges)
                .allSatisfy(ranges -> assertThat(ranges).extracting(StreamOffsetRange::streamId).containsOnly(a.streamId()));
        assertThat(readAll(b)).containsExactlyElementsOf(acked.get(b.streamId()));
    }
}
