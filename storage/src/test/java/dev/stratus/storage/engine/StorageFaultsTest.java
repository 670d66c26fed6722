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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class StorageFaultsTest {

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

    private Stream start(StorageConfig config) {
        engine = new StreamStorageEngine(config, objects, metadata, Clock.systemUTC());
        engine.start().join();
        long id = engine.createStream().join();
        return engine.openStream(id, 0).join();
    }

    private static StreamRecordBatch batch(Stream stream, int size) {
        return new StreamRecordBatch(stream.streamId(), stream.epoch(), stream.nextOffset(), 1,
                ByteBuffer.wrap(new byte[size]).put(0, (byte) stream.nextOffset()));
    }

    private static List<StreamRecordBatch> readAll(Stream stream) {
        return stream.fetch(0, Long.MAX_VALUE, Integer.MAX_VALUE).join().batches();
    }

    @Test
    void failedUploadsAreRetriedWithBackoffAndNeverReportedBeforeTheyCommit() throws Exception {
        Stream stream = start(new StorageConfig(dir.resolve("wal"), 1024 * 1024, 2_000, 64L * 1024 * 1024, 60_000, 0, 64 * 1024));
        List<StreamRecordBatch> acked = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            StreamRecordBatch batch = batch(stream, 500);
            stream.append(batch).join();
            acked.add(batch);
        }
        objects.failingPuts.set(3);
        CompletableFuture<Void> upload = engine.uploadAll();
        Thread.sleep(150);
        assertThat(upload).isNotDone();
        assertThat(metadata.committedObjects()).isEmpty();

        upload.get(10, TimeUnit.SECONDS);
        assertThat(objects.failingPuts.get()).isZero();
        assertThat(metadata.committedObjects()).hasSize(1);
        assertThat(readAll(stream)).containsExactlyElementsOf(acked);
    }

    @Test
    void aFullWalFailsAppendsWithStorageUnavailableAndKeepsEveryAcknowledgedBatch() {
        StorageConfig config = new StorageConfig(dir.resolve("wal"), 64 * 1024, 300, 64L * 1024 * 1024, 60_000,
                64L * 1024 * 1024, 16 * 1024);
        Stream stream = start(config);
        List<StreamRecordBatch> acked = new ArrayList<>();
        Throwable failure = null;
        for (int i = 0; i < 20 && failure == null; i++) {
            StreamRecordBatch batch = batch(stream, 3_000);
            failure = catchThrowable(() -> stream.append(batch).join());
            if (failure == null) {
                acked.add(batch);
            }
        }
        assertThat(failure).isInstanceOf(CompletionException.class).cause().isInstanceOf(StreamException.class);
        assertThat(((StreamException) failure.getCause()).code()).isEqualTo(StreamErrorCode.STORAGE_UNAVAILABLE);
        assertThat(acked).hasSize(16);
        assertThat(stream.confirmedOffset()).isEqualTo(16);

        // Upload frees the WAL; the owner reopens the stream and carries on from the last acknowledged offset.
        engine.uploadAll().join();
        Stream reopened = engine.openStream(stream.streamId(), 0).join();
        assertThat(reopened.nextOffset()).isEqualTo(16);
        StreamRecordBatch next = batch(reopened, 3_000);
        reopened.append(next).join();
        acked.add(next);
        assertThat(readAll(reopened)).containsExactlyElementsOf(acked);
    }
}
