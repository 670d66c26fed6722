package dev.stratus.storage.engine;

import dev.stratus.storage.compaction.CompactionAgent;
import dev.stratus.storage.compaction.RoundReport;
import dev.stratus.storage.format.ObjectIndexCache;
import dev.stratus.storage.format.ObjectReader;
import dev.stratus.storage.metadata.InMemoryStreamMetadataStore;
import dev.stratus.storage.metadata.MarkedObject;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.ObjectType;
import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.metadata.StreamMetadataView;
import dev.stratus.storage.objects.MemoryObjectStorage;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.stream.FetchResult;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.testing.ManualClock;
import dev.stratus.storage.wal.FileWriteAheadLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Stream objects on upload, compaction, and garbage collection (mark, grace period, delete; orphans) through the engine. */
class CompactionAndGarbageCollectionTest {

    private static final long GRACE_MS = 60_000;
    private static final long TTL_MS = 120_000;
    private static final long SPLIT_BYTES = 64 * 1024;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000_000);
    private final InMemoryStreamMetadataStore metadata = new InMemoryStreamMetadataStore(clock);
    private final MemoryObjectStorage objects = new MemoryObjectStorage();
    private final List<StreamStorageEngine> engines = new ArrayList<>();
    /** What each stream must hold: acknowledged batches by base offset. */
    private final Map<Long, List<StreamRecordBatch>> acked = new HashMap<>();

    @AfterEach
    void tearDown() {
        engines.forEach(StreamStorageEngine::close);
    }

    private StorageConfig config() {
        // Uploads only when asked; no tail cache, so that reads of uploaded data go to objects.
        return new StorageConfig(dir.resolve("wal"), 8L * 1024 * 1024, 2_000, 64L * 1024 * 1024, 600_000, 0, 256 * 1024)
                .withStreamObjectSplitBytes(SPLIT_BYTES)
                .withCompactionIntervalMs(0)
                .withCompactionMaxBytesPerSec(Long.MAX_VALUE / 4)
                .withCompactionMaxObjectBytes(1024 * 1024)
                .withObjectDeletionGraceMs(GRACE_MS)
                .withObjectPrepareTtlMs(TTL_MS);
    }

    private <M extends StreamMetadataStore & StreamMetadataView> StreamStorageEngine engine(M store) {
        StreamStorageEngine engine = new StreamStorageEngine(config(), objects, store, clock);
        engines.add(engine);
        engine.start().join();
        return engine;
    }

    private static StreamRecordBatch batch(long stream, long epoch, long base, int count, int size, long seed) {
        byte[] payload = new byte[size];
        new Random(seed * 31 + base).nextBytes(payload);
        return new StreamRecordBatch(stream, epoch, base, count, ByteBuffer.wrap(payload));
    }

    private void append(Stream stream, int batches, int size) {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            StreamRecordBatch batch = batch(stream.streamId(), stream.epoch(), stream.nextOffset(), 1 + i % 4, size, stream.streamId());
            acked.computeIfAbsent(stream.streamId(), id -> new ArrayList<>()).add(batch);
            futures.add(stream.append(batch));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    }

    /** Fetches every offset from the stream's start one at a time and checks the batch holding it. */
    private void assertEveryOffsetReadable(Stream stream) {
        List<StreamRecordBatch> expected = acked.get(stream.streamId());
        long start = stream.startOffset();
        for (StreamRecordBatch batch : expected) {
            for (long offset = Math.max(start, batch.baseOffset()); offset < batch.nextOffset(); offset++) {
                FetchResult result = stream.fetch(offset, offset + 1, 1).join();
                assertThat(result.batches()).as("offset %d of stream %d", offset, stream.streamId()).isNotEmpty();
                assertThat(result.batches().get(0)).as("offset %d of stream %d", offset, stream.streamId()).isEqualTo(batch);
            }
        }
    }

    private List<String> keys() {
        return objects.list(ObjectKeys.OBJECTS_PREFIX).join();
    }

    private Stream open(StreamStorageEngine engine) {
        long id = engine.createStream().join();
        return engine.openStream(id, 0).join();
    }

    @Test
    void aStreamAboveTheSplitSizeGetsItsOwnStreamObjectCommittedWithTheStreamSetObject() {
        StreamStorageEngine engine = engine(metadata);
        Stream big = open(engine);
        Stream small1 = open(engine);
        Stream small2 = open(engine);
        append(big, 40, 4_000);
        append(small1, 5, 300);
        append(small2, 5, 300);
        engine.uploadAll().join();

        List<ObjectMetadata> committed = metadata.listObjects().join();
        assertThat(committed).hasSize(2);
        assertThat(committed.get(0).type()).isEqualTo(ObjectType.STREAM_SET);
        assertThat(committed.get(0).ranges()).extracting(r -> r.streamId()).containsExactly(small1.streamId(), small2.streamId());
        assertThat(committed.get(1).type()).isEqualTo(ObjectType.STREAM);
        assertThat(committed.get(1).ranges()).extracting(r -> r.streamId()).containsExactly(big.streamId());
        assertThat(objects.stats().calls(dev.stratus.storage.objects.ObjectStorageStats.CallType.PUT)).isEqualTo(2);
        for (Stream stream : List.of(big, small1, small2)) {
            assertEveryOffsetReadable(stream);
        }
    }

    @Test
    void compactionMergesSmallStreamSetObjectsIntoOneAndEveryOffsetReadsTheSame() {
        StreamStorageEngine engine = engine(metadata);
        List<Stream> streams = List.of(open(engine), open(engine), open(engine));
        for (int upload = 0; upload < 6; upload++) {
            for (Stream stream : streams) {
                append(stream, 3, 500 + upload * 10);
            }
            engine.uploadAll().join();
        }
        assertThat(metadata.listObjects().join()).hasSize(6);
        streams.forEach(this::assertEveryOffsetReadable);

        RoundReport report = engine.compaction().runOnce().join();

        assertThat(report.tasks()).isEqualTo(1);
        assertThat(report.objectsCompacted()).isEqualTo(6);
        List<ObjectMetadata> after = metadata.listObjects().join();
        assertThat(after).hasSize(1);
        assertThat(after.get(0).type()).isEqualTo(ObjectType.STREAM_SET);
        assertThat(after.get(0).ranges()).hasSize(3);
        streams.forEach(this::assertEveryOffsetReadable);
        assertThat(engine.compaction().runOnce().join().tasks()).isZero();
    }

    @Test
    void compactionRunsOnItsIntervalWithoutBeingAskedAndTheObjectCountFalls() {
        StreamStorageEngine engine = new StreamStorageEngine(config().withCompactionIntervalMs(100), objects, metadata, clock);
        engines.add(engine);
        engine.start().join();
        List<Stream> streams = List.of(open(engine), open(engine));
        int uploads = 6;
        for (int upload = 0; upload < uploads; upload++) {
            for (Stream stream : streams) {
                append(stream, 3, 500);
            }
            engine.uploadAll().join();
        }

        // Every upload wrote one small stream set object; rounds on the timer merge them, whenever they run.
        await().atMost(Duration.ofSeconds(20)).until(() -> metadata.listObjects().join().size() == 1);

        assertThat(metadata.markedObjects().join()).hasSizeGreaterThanOrEqualTo(uploads);
        streams.forEach(this::assertEveryOffsetReadable);
    }

    @Test
    void aNodeThatDoesNotOwnCompactionLeavesObjectsAloneUntilItBecomesTheOwner() throws Exception {
        AtomicBoolean owner = new AtomicBoolean(false);
        StreamStorageEngine engine = new StreamStorageEngine(config().withCompactionIntervalMs(50),
                new FileWriteAheadLog(config().walConfig()), objects, metadata, metadata, clock, owner::get);
        engines.add(engine);
        engine.start().join();
        Stream stream = open(engine);
        for (int upload = 0; upload < 4; upload++) {
            append(stream, 3, 500);
            engine.uploadAll().join();
        }

        // Ten timer rounds' worth of time: a node that is not the owner compacts nothing.
        Thread.sleep(500);
        assertThat(metadata.listObjects().join()).hasSize(4);
        assertThat(metadata.markedObjects().join()).isEmpty();

        owner.set(true);
        await().atMost(Duration.ofSeconds(20)).until(() -> metadata.listObjects().join().size() == 1);
        assertEveryOffsetReadable(stream);
    }

    @Test
    void theCompactorWaitsForItsBandwidthLimitOnWhatItReadsAndWrites() {
        StreamStorageEngine engine = engine(metadata);
        List<Stream> streams = List.of(open(engine), open(engine));
        for (int upload = 0; upload < 6; upload++) {
            for (Stream stream : streams) {
                append(stream, 4, 5_000);
            }
            engine.uploadAll().join();
        }
        long bytesPerSec = 20_000;
        AtomicLong sleptMs = new AtomicLong();
        // Time moves only when the limiter sleeps: the pauses are counted, never measured on a wall clock.
        CompactionAgent limited = new CompactionAgent(objects, metadata, metadata,
                config().withCompactionMaxBytesPerSec(bytesPerSec).compactionSettings(), clock, millis -> {
                    sleptMs.addAndGet(millis);
                    clock.advance(millis);
                });
        RoundReport report;
        try {
            report = limited.runOnce().join();
        } finally {
            limited.close();
        }

        assertThat(report.tasks()).isEqualTo(1);
        assertThat(report.bytesRead()).isGreaterThan(10 * bytesPerSec);
        // Reads are paid before the write may start (less the bucket's first second); the write's own cost is owed
        // by whatever the compactor does next, so the pause lies between reads / rate and (reads + writes) / rate.
        long readsMs = (report.bytesRead() - bytesPerSec) * 1000 / bytesPerSec;
        long allMs = (report.bytesRead() + report.bytesWritten()) * 1000 / bytesPerSec;
        assertThat(sleptMs.get()).isBetween(readsMs, allMs);
        streams.forEach(this::assertEveryOffsetReadable);
    }

    @Test
    void compactionSplitsAStreamWhoseDataAcrossStreamSetObjectsReachesTheSplitSize() {
        StreamStorageEngine engine = engine(metadata);
        Stream growing = open(engine);
        Stream other = open(engine);
        for (int upload = 0; upload < 4; upload++) {
            append(growing, 6, 4_000);
            append(other, 2, 100);
            engine.uploadAll().join();
        }
        assertThat(metadata.listObjects().join()).allMatch(o -> o.type() == ObjectType.STREAM_SET).hasSize(4);

        engine.compaction().runOnce().join();

        List<ObjectMetadata> after = metadata.listObjects().join();
        assertThat(after).extracting(ObjectMetadata::type).containsExactlyInAnyOrder(ObjectType.STREAM_SET, ObjectType.STREAM);
        ObjectMetadata streamObject = after.stream().filter(o -> o.type() == ObjectType.STREAM).findFirst().orElseThrow();
        assertThat(streamObject.ranges()).singleElement().satisfies(r -> {
            assertThat(r.streamId()).isEqualTo(growing.streamId());
            assertThat(r.startOffset()).isZero();
            assertThat(r.endOffset()).isEqualTo(growing.confirmedOffset());
        });
        assertEveryOffsetReadable(growing);
        assertEveryOffsetReadable(other);
    }

    @Test
    void compactionMergesAStreamsSmallConsecutiveStreamObjects() {
        StreamStorageEngine engine = engine(metadata);
        Stream stream = open(engine);
        for (int upload = 0; upload < 5; upload++) {
            append(stream, 20, 4_000);
            engine.uploadAll().join();
        }
        assertThat(metadata.listObjects().join()).allMatch(o -> o.type() == ObjectType.STREAM).hasSize(5);

        engine.compaction().runOnce().join();

        // 5 × 80 KB: objects below 512 KiB are small, and one merged object holds at most 1 MiB.
        assertThat(metadata.listObjects().join()).singleElement().satisfies(o -> assertThat(o.type()).isEqualTo(ObjectType.STREAM));
        assertEveryOffsetReadable(stream);
    }

    @Test
    void compactionDropsTrimmedDataAndTheObjectsTrimmingEmptied() {
        StreamStorageEngine engine = engine(metadata);
        Stream trimmed = open(engine);
        Stream kept = open(engine);
        for (int upload = 0; upload < 4; upload++) {
            append(trimmed, 5, 2_000);
            append(kept, 1, 100);
            engine.uploadAll().join();
        }
        long bytesBefore = metadata.listObjects().join().stream().mapToLong(ObjectMetadata::sizeBytes).sum();
        long trimTo = acked.get(trimmed.streamId()).get(13).baseOffset() + 1;
        trimmed.trim(trimTo).join();

        engine.compaction().runOnce().join();

        List<ObjectMetadata> after = metadata.listObjects().join();
        assertThat(after).hasSize(1);
        assertThat(after.get(0).rangeOf(trimmed.streamId()).startOffset()).isEqualTo(acked.get(trimmed.streamId()).get(13).baseOffset());
        assertThat(after.get(0).sizeBytes()).isLessThan(bytesBefore / 2);
        assertEveryOffsetReadable(trimmed);
        assertEveryOffsetReadable(kept);
        assertThatThrownBy(() -> trimmed.fetch(trimTo - 2, trimTo, 1000).join()).hasCauseInstanceOf(StreamException.class);
    }

    @Test
    void objectsOfDeletedStreamsAreMarkedThenDeleted() {
        StreamStorageEngine engine = engine(metadata);
        Stream doomed = open(engine);
        append(doomed, 10, 1_000);
        engine.uploadAll().join();
        doomed.close().join();
        engine.deleteStream(doomed.streamId(), 0).join();

        RoundReport marking = engine.compaction().runOnce().join();
        assertThat(marking.markedDead()).isEqualTo(1);
        assertThat(metadata.listObjects().join()).isEmpty();
        assertThat(keys()).hasSize(1);

        clock.advance(GRACE_MS);
        assertThat(engine.compaction().runOnce().join().deleted()).isEqualTo(1);
        assertThat(keys()).isEmpty();
        assertThat(metadata.markedObjects().join()).isEmpty();
    }

    @Test
    void replacedObjectsStayReadableDuringTheGracePeriodThenLeaveStorageAndMetadata() {
        StreamStorageEngine engine = engine(metadata);
        Stream stream = open(engine);
        Stream other = open(engine);
        for (int upload = 0; upload < 3; upload++) {
            append(stream, 4, 700);
            append(other, 1, 100);
            engine.uploadAll().join();
        }
        // A reader looks up the objects, then compaction replaces them before it reads.
        List<ObjectMetadata> lookedUp = metadata.objectsOf(stream.streamId(), 0, Long.MAX_VALUE, 10).join();
        engine.compaction().runOnce().join();
        assertThat(metadata.listObjects().join()).hasSize(1);
        ObjectReader reader = new ObjectReader(objects, new ObjectIndexCache(16));
        ObjectMetadata old = lookedUp.get(0);
        assertThat(reader.read(old.objectId(), old.sizeBytes(), stream.streamId(), 0, Long.MAX_VALUE, 1 << 20).join())
                .containsExactlyElementsOf(acked.get(stream.streamId()).subList(0, 4));

        clock.advance(GRACE_MS - 1);
        assertThat(engine.compaction().runOnce().join().deleted()).isZero();
        assertThat(metadata.markedObjects().join()).extracting(MarkedObject::objectId)
                .containsExactlyElementsOf(lookedUp.stream().map(ObjectMetadata::objectId).toList());
        assertThat(keys()).hasSize(4);

        clock.advance(1);
        assertThat(engine.compaction().runOnce().join().deleted()).isEqualTo(3);
        assertThat(keys()).containsExactly(ObjectKeys.objectKey(metadata.listObjects().join().get(0).objectId()));
        assertThat(metadata.markedObjects().join()).isEmpty();
        assertThatThrownBy(() -> new ObjectReader(objects, new ObjectIndexCache(16))
                .read(old.objectId(), old.sizeBytes(), stream.streamId(), 0, Long.MAX_VALUE, 1 << 20).join())
                .isInstanceOf(CompletionException.class);
        assertEveryOffsetReadable(stream);
        assertEveryOffsetReadable(other);
    }

    @Test
    void aCrashBetweenPutAndCommitLeavesNothingVisibleAndTheOrphanIsDeletedAfterItsTtl() {
        FaultyMetadataStore faulty = new FaultyMetadataStore(metadata);
        faulty.failCommits = true;
        StreamStorageEngine crashed = engine(faulty);
        Stream stream = open(crashed);
        append(stream, 10, 1_000);
        crashed.uploadAll();
        await().atMost(Duration.ofSeconds(10)).until(() -> faulty.failedCommits.get() >= 1 && !keys().isEmpty());
        crashed.close();

        assertThat(metadata.listObjects().join()).isEmpty();
        assertThat(metadata.describeStream(stream.streamId()).join().endOffset()).isZero();
        List<String> orphans = keys();
        assertThat(orphans).isNotEmpty();

        StreamStorageEngine restarted = engine(metadata);
        assertThat(metadata.listObjects().join()).hasSize(1);
        String committed = ObjectKeys.objectKey(metadata.listObjects().join().get(0).objectId());
        assertThat(restarted.compaction().runOnce().join().markedOrphans()).as("prepares not expired yet").isZero();

        clock.advance(TTL_MS + 1);
        assertThat(restarted.compaction().runOnce().join().markedOrphans()).isEqualTo(orphans.size());
        assertThat(keys()).hasSize(orphans.size() + 1);

        clock.advance(GRACE_MS);
        assertThat(restarted.compaction().runOnce().join().deleted()).isEqualTo(orphans.size());
        assertThat(keys()).containsExactly(committed);
        assertThat(metadata.markedObjects().join()).isEmpty();
        assertEveryOffsetReadable(restarted.openStream(stream.streamId(), 1).join());
    }

    @Test
    void underContinuousLoadTheObjectCountStaysBoundedAndEverythingStaysReadable() {
        StreamStorageEngine engine = engine(metadata);
        List<Stream> streams = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            streams.add(open(engine));
        }
        Random random = new Random(42);
        int maxLive = 0;
        for (int upload = 0; upload < 40; upload++) {
            for (Stream stream : streams) {
                // Stream 0 is hot (often above the split size in one upload), the others trickle.
                int size = stream == streams.get(0) ? 2_000 + random.nextInt(4_000) : 50 + random.nextInt(400);
                append(stream, 1 + random.nextInt(20), size);
            }
            engine.uploadAll().join();
            if (upload % 4 == 3) {
                engine.compaction().runOnce().join();
                clock.advance(GRACE_MS);
            }
            maxLive = Math.max(maxLive, metadata.listObjects().join().size());
            assertThat(keys().size()).isLessThanOrEqualTo(metadata.listObjects().join().size()
                    + metadata.markedObjects().join().size());
        }
        engine.compaction().runOnce().join();
        // Without compaction there would be 40 or more objects. With it: about 2.2 MB of data in objects of
        // 0.5 to 1 MiB, plus one stream object per stream that outgrew the split size, plus one stream set object.
        assertThat(maxLive).isLessThanOrEqualTo(16);
        assertThat(metadata.listObjects().join().size()).isLessThanOrEqualTo(10);
        assertThat(objects.stats().calls(dev.stratus.storage.objects.ObjectStorageStats.CallType.PUT))
                .as("PUTs: uploads plus compaction outputs").isLessThanOrEqualTo(40 * 2 + 60);
        streams.forEach(this::assertEveryOffsetReadable);
        assertThat(metadata.describeStream(streams.get(1).streamId()).join().state())
                .isEqualTo(dev.stratus.storage.metadata.StreamMetadata.StreamState.OPENED);
    }

    @Test
    void compactionAndGarbageCollectionNeverTouchUncommittedWalData() {
        StreamStorageEngine engine = engine(metadata);
        Stream stream = open(engine);
        append(stream, 5, 1_000);
        engine.uploadAll().join();
        append(stream, 5, 1_000);
        clock.advance(TTL_MS + GRACE_MS);
        RoundReport report = engine.compaction().runOnce().join();
        assertThat(report.deleted()).isZero();
        assertThat(report.markedOrphans()).isZero();
        assertEveryOffsetReadable(stream);
        assertThatThrownBy(() -> stream.fetch(stream.nextOffset() + 1, stream.nextOffset() + 2, 1).join())
                .cause().isInstanceOf(StreamException.class)
                .extracting(e -> ((StreamException) e).code()).isEqualTo(StreamErrorCode.OFFSET_OUT_OF_RANGE);
    }
}
