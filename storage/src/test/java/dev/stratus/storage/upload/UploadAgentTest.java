package dev.stratus.storage.upload;

import dev.stratus.storage.metadata.InMemoryStreamMetadataStore;
import dev.stratus.storage.objects.MemoryObjectStorage;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.objects.ObjectStorageStats;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.testing.ForwardingObjectStorage;
import dev.stratus.storage.testing.ManualClock;
import dev.stratus.storage.wal.FileWriteAheadLog;
import dev.stratus.storage.wal.WalConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the upload agent starts jobs on its own, with no timer to fall back on (the upload
 * interval is an hour): a request or a threshold crossing that comes while a job runs is not
 * lost, but served once that job ends. Each test holds the running job at its PUT (see
 * {@link HeldPutStorage}), does its appends or requests, then lets the PUT go; the appends reach
 * the agent as the engine reports them, from the WAL's append callbacks.
 */
class UploadAgentTest {

    private static final long THRESHOLD_BYTES = 64 * 1024;
    private static final long ONE_HOUR_MS = 3_600_000;
    private static final int BATCH_BYTES = 8 * 1024;
    private static final Duration UPLOAD_WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000_000);
    private final InMemoryStreamMetadataStore metadata = new InMemoryStreamMetadataStore(clock);
    private final HeldPutStorage objects = new HeldPutStorage();
    private FileWriteAheadLog wal;
    private UploadAgent agent;
    private long streamId;
    private long nextOffset;

    @BeforeEach
    void setUp() {
        wal = new FileWriteAheadLog(new WalConfig(dir.resolve("wal"), 4L * 1024 * 1024, 1024, 16L * 1024 * 1024, 2_000,
                1024 * 1024));
        wal.start();
        UploadSettings settings = new UploadSettings(THRESHOLD_BYTES, ONE_HOUR_MS, 1024 * 1024, 64 * 1024,
                16L * 1024 * 1024, 600_000);
        agent = new UploadAgent(wal, objects, metadata, metadata, (objectId, ranges) -> { }, settings);
        agent.start();
        streamId = metadata.createStream().join();
        metadata.openStream(streamId, 1).join();
    }

    @AfterEach
    void tearDown() {
        objects.release();
        agent.close();
        wal.close();
    }

    @Test
    void appendsThatPassTheThresholdWhileAnUploadRunsAreUploadedWhenItEnds() {
        long firstCut = appendUntil(THRESHOLD_BYTES);
        await().atMost(UPLOAD_WAIT).until(() -> objects.puts() == 1);
        long secondEnd = appendUntil(firstCut + THRESHOLD_BYTES);
        assertThat(wal.trimPosition()).as("nothing is trimmed while the PUT is held").isZero();

        objects.release();

        await().atMost(UPLOAD_WAIT).untilAsserted(() ->
                assertThat(wal.trimPosition()).as("WAL trim position").isGreaterThanOrEqualTo(secondEnd));
        assertThat(committedEnd()).isEqualTo(nextOffset);
    }

    @Test
    void aStreamUploadRequestedWhileAWholeWalUploadRunsIsServedWhenItEnds() throws Exception {
        long firstCut = appendUntil(THRESHOLD_BYTES);
        await().atMost(UPLOAD_WAIT).until(() -> objects.puts() == 1);
        appendUntil(firstCut + BATCH_BYTES);

        CompletableFuture<Void> streamUpload = agent.uploadStream(streamId, "test");
        assertThat(streamUpload).as("waits for the running job").isNotDone();
        objects.release();

        streamUpload.get(UPLOAD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(committedEnd()).isEqualTo(nextOffset);
    }

    /**
     * Appends batches of the stream, one after another, until the WAL's durable end reaches
     * {@code walPosition}; tells the agent of each, on the WAL writer thread, as the engine does.
     * Returns the WAL end position reached, once it is also the WAL's confirmed position (as after
     * the engine's barrier: an append's callback runs before the position it reached is confirmed).
     */
    private long appendUntil(long walPosition) {
        long end = wal.confirmedPosition();
        while (end < walPosition) {
            StreamRecordBatch batch = new StreamRecordBatch(streamId, 1, nextOffset, 1, ByteBuffer.allocate(BATCH_BYTES));
            nextOffset = batch.nextOffset();
            CompletableFuture<Long> appended = new CompletableFuture<>();
            wal.append(batch, (result, error) -> {
                if (error != null) {
                    appended.completeExceptionally(error);
                    return;
                }
                agent.appended(result.endPosition());
                appended.complete(result.endPosition());
            });
            end = appended.join();
        }
        wal.barrier().join();
        return end;
    }

    private long committedEnd() {
        return metadata.describeStream(streamId).join().endOffset();
    }

    /** Memory object storage whose PUTs do not complete until {@link #release()}; afterwards they go straight through. */
    private static final class HeldPutStorage extends ForwardingObjectStorage {

        private final CompletableFuture<Void> released = new CompletableFuture<>();
        private final AtomicInteger puts = new AtomicInteger();

        HeldPutStorage() {
            super(new MemoryObjectStorage());
        }

        int puts() {
            return puts.get();
        }

        void release() {
            released.complete(null);
        }

        @Override
        public CompletableFuture<Void> put(String key, ByteBuffer data) {
            puts.incrementAndGet();
            return released.thenCompose(v -> delegate.put(key, data));
        }

    }
}
