package dev.stratus.storage.engine;

import dev.stratus.storage.metadata.InMemoryStreamMetadataStore;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Object storage down: the WAL fills, appends fail retriably, the log cache stays in its bound, nothing acknowledged is lost. */
class BackPressureTest {

    private static final long LOG_CACHE_BYTES = 48 * 1024;

    @TempDir
    Path dir;

    private final InMemoryStreamMetadataStore metadata = new InMemoryStreamMetadataStore(Clock.systemUTC());
    private final FaultyObjectStorage objects = new FaultyObjectStorage();
    private StreamStorageEngine engine;

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
    }

    private static StreamRecordBatch batch(Stream stream) {
        return new StreamRecordBatch(stream.streamId(), stream.epoch(), stream.nextOffset(), 1,
                ByteBuffer.allocate(3_000).putLong(0, stream.nextOffset()));
    }

    private static List<Long> readAll(Stream stream) {
        List<Long> values = new ArrayList<>();
        long next = stream.startOffset();
        while (next < stream.confirmedOffset()) {
            List<StreamRecordBatch> batches = stream.fetch(next, Long.MAX_VALUE, 20_000).join().batches();
            for (StreamRecordBatch batch : batches) {
                if (batch.baseOffset() >= next) {
                    values.add(batch.payload().getLong(0));
                }
            }
            next = batches.get(batches.size() - 1).nextOffset();
        }
        return values;
    }

    @Test
    void theLogCacheStaysInItsBoundWhileObjectStorageFailsAndEveryAcknowledgedBatchStaysReadable() throws Exception {
        StorageConfig config = new StorageConfig(dir.resolve("wal"), 256 * 1024, 200, 16 * 1024, 60_000,
                LOG_CACHE_BYTES, 16 * 1024);
        engine = new StreamStorageEngine(config, objects, metadata, Clock.systemUTC());
        engine.start().get(10, TimeUnit.SECONDS);
        Stream a = engine.openStream(engine.createStream().join(), 0).join();
        Stream b = engine.openStream(engine.createStream().join(), 0).join();
        objects.failingPuts.set(Integer.MAX_VALUE);

        List<Long> ackedA = new ArrayList<>();
        List<Long> ackedB = new ArrayList<>();
        Throwable failure = null;
        for (int i = 0; i < 200 && failure == null; i++) {
            Stream stream = i % 2 == 0 ? a : b;
            StreamRecordBatch batch = batch(stream);
            failure = catchThrowable(() -> stream.append(batch).join());
            if (failure == null) {
                (stream == a ? ackedA : ackedB).add(batch.baseOffset());
            }
            assertThat(engine.cache().sizeInBytes()).isLessThanOrEqualTo(LOG_CACHE_BYTES);
        }
        assertThat(failure).isInstanceOf(CompletionException.class).cause().isInstanceOf(StreamException.class);
        StreamException error = (StreamException) failure.getCause();
        assertThat(error.code()).isEqualTo(StreamErrorCode.STORAGE_UNAVAILABLE);
        assertThat(error.code().retriable()).isTrue();
        assertThat(ackedA.size() + ackedB.size()).isGreaterThan(60); // ~190 KiB acknowledged, 48 KiB cache
        assertThat(engine.cache().walSegmentCount()).isPositive();
        assertThat(metadata.committedObjects()).isEmpty();

        // Everything acknowledged reads back (most of it from the WAL), while object storage is still down.
        assertThat(readAll(a)).containsExactlyElementsOf(ackedA);
        assertThat(readAll(b)).containsExactlyElementsOf(ackedB);

        // Object storage heals: the upload retries succeed, the WAL drains, the owners reopen and carry on.
        objects.failingPuts.set(0);
        engine.uploadAll().get(30, TimeUnit.SECONDS);
        assertThat(engine.cache().walSegmentCount()).isZero();
        Stream a2 = engine.openStream(a.streamId(), 0).join();
        Stream b2 = engine.openStream(b.streamId(), 0).join();
        assertThat(a2.nextOffset()).isEqualTo(ackedA.size());
        assertThat(b2.nextOffset()).isEqualTo(ackedB.size());
        for (int i = 0; i < 20; i++) {
            StreamRecordBatch next = batch(a2);
            a2.append(next).get(10, TimeUnit.SECONDS);
            ackedA.add(next.baseOffset());
            assertThat(engine.cache().sizeInBytes()).isLessThanOrEqualTo(LOG_CACHE_BYTES);
        }
        assertThat(readAll(a2)).containsExactlyElementsOf(ackedA);
        assertThat(readAll(b2)).containsExactlyElementsOf(ackedB);
    }
}
