package dev.stratus.storage.engine;

import dev.stratus.storage.metadata.InMemoryStreamMetadataStore;
import dev.stratus.storage.objects.MemoryObjectStorage;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.objects.ObjectStorageStats;
import dev.stratus.storage.stream.FetchResult;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.testing.ForwardingObjectStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A slow object storage holds up catch-up reads only: tail reads and appends go on. */
class CatchUpIsolationTest {

    @TempDir
    Path dir;

    /** Object storage whose ranged reads block the calling thread until {@link #release} opens. */
    static final class StalledReads extends ForwardingObjectStorage {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        volatile boolean stall;

        StalledReads() {
            super(new MemoryObjectStorage());
        }

        @Override
        public CompletableFuture<ByteBuffer> rangeRead(String key, long start, long end) {
            if (stall) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return delegate.rangeRead(key, start, end);
        }
    }

    private final StalledReads objects = new StalledReads();
    private StreamStorageEngine engine;

    @AfterEach
    void tearDown() {
        objects.release.countDown();
        if (engine != null) {
            engine.close();
        }
    }

    private static StreamRecordBatch batch(Stream stream) {
        return new StreamRecordBatch(stream.streamId(), stream.epoch(), stream.nextOffset(), 1,
                ByteBuffer.allocate(2048).putLong(0, stream.nextOffset()));
    }

    @Test
    void aStalledCatchUpReadDelaysNeitherTailReadsNorAppends() throws Exception {
        // One catch-up thread and a queue of one: the stalled read holds the thread, a second waits, a third is refused.
        StorageConfig config = new StorageConfig(dir.resolve("wal"), 4L * 1024 * 1024, 2_000, 64L * 1024 * 1024, 60_000,
                32 * 1024, 64 * 1024).withReads(1024 * 1024, 0, 1, 1);
        engine = new StreamStorageEngine(config, objects, new InMemoryStreamMetadataStore(Clock.systemUTC()), Clock.systemUTC());
        engine.start().get(10, TimeUnit.SECONDS);
        Stream stream = engine.openStream(engine.createStream().join(), 0).join();
        for (int i = 0; i < 40; i++) {
            stream.append(batch(stream)).join();
        }
        engine.uploadAll().get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 10; i++) {
            stream.append(batch(stream)).join(); // pushes the uploaded head out of the 32 KiB log cache
        }
        assertThat(engine.cache().startOffset(stream.streamId())).isGreaterThan(0);

        objects.stall = true;
        CompletableFuture<FetchResult> catchUp = stream.fetch(0, 10, 4096);
        assertThat(objects.entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<FetchResult> queued = stream.fetch(5, 10, 4096);
        CompletableFuture<FetchResult> refused = stream.fetch(6, 10, 4096);

        long tailStart = stream.confirmedOffset() - 1;
        CompletableFuture<FetchResult> tail = stream.fetch(tailStart, Long.MAX_VALUE, 1 << 20);
        CompletableFuture<Long> appended = stream.append(batch(stream));
        assertThat(tail.get(10, TimeUnit.SECONDS).batches()).extracting(StreamRecordBatch::baseOffset).containsExactly(tailStart);
        assertThat(appended.get(10, TimeUnit.SECONDS)).isEqualTo(tailStart + 1);
        assertThat(stream.fetch(tailStart + 1, Long.MAX_VALUE, 1 << 20).get(10, TimeUnit.SECONDS).batches()).hasSize(1);
        assertThat(catchUp).isNotDone();
        assertThat(queued).isNotDone();
        assertThat(refused).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
                .havingRootCause().isInstanceOf(StreamException.class)
                .matches(e -> ((StreamException) e).code() == StreamErrorCode.STORAGE_UNAVAILABLE);

        objects.stall = false;
        objects.release.countDown();
        assertThat(catchUp.get(10, TimeUnit.SECONDS).batches().get(0).baseOffset()).isZero();
        assertThat(queued.get(10, TimeUnit.SECONDS).batches().get(0).baseOffset()).isEqualTo(5);
        List<Long> all = new ArrayList<>();
        long next = 0;
        while (next < stream.confirmedOffset()) {
            List<StreamRecordBatch> batches = stream.fetch(next, Long.MAX_VALUE, 16 * 1024).get(10, TimeUnit.SECONDS).batches();
            batches.forEach(b -> all.add(b.payload().getLong(0)));
            next = batches.get(batches.size() - 1).nextOffset();
        }
        assertThat(all).hasSize(51).doesNotHaveDuplicates().isSorted();
    }
}
