package dev.stratus.storage.engine;

import static dev.stratus.storage.engine.S3StreamStorageEngineTest.batch;
import static dev.stratus.storage.engine.S3StreamStorageEngineTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stratus.storage.metadata.InMemoryStreamMetadataStore;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.objects.ObjectStorageStats.CallType;
import dev.stratus.storage.objects.s3.S3ObjectStorage;
import dev.stratus.storage.objects.s3.S3RetryPolicy;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.testing.FaultInjectingS3Proxy;
import dev.stratus.storage.testing.FaultInjectingS3Proxy.Fault;
import dev.stratus.storage.testing.S3ProxyFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage engine on S3 while S3 fails: a {@link FaultInjectingS3Proxy} between the engine's
 * {@link S3ObjectStorage} and s3proxy answers 503 SlowDown or stalls for a while. Uploads retry
 * with backoff and commit nothing until their PUT succeeded; once the small WAL is full, appends
 * wait; when S3 recovers everything completes and every acknowledged record is read back from
 * the bucket.
 */
class S3EngineFaultsTest {

    @RegisterExtension
    static final S3ProxyFixture S3 = new S3ProxyFixture();

    private static final int BATCHES = 80;
    private static final int BATCH_BYTES = 8 * 1024;

    @TempDir
    Path dir;

    private final InMemoryStreamMetadataStore metadata = new InMemoryStreamMetadataStore(Clock.systemUTC());
    private final List<StreamStorageEngine> engines = new CopyOnWriteArrayList<>();
    private FaultInjectingS3Proxy proxy;
    private S3ObjectStorage objects;
    private String bucket;

    @BeforeEach
    void setUp() throws Exception {
        bucket = S3.createBucket();
        proxy = FaultInjectingS3Proxy.start(S3.endpoint());
        // Retries outlast the faults below; a short timeout turns a stalled request into a retry quickly.
        objects = S3ObjectStorage.open(S3.config(bucket, proxy.endpoint())
                .withRetry(new S3RetryPolicy(60, 20, 200)).withRequestTimeoutMs(400));
    }

    @AfterEach
    void tearDown() throws Exception {
        engines.forEach(StreamStorageEngine::close);
        objects.close();
        proxy.close();
    }

    /** A 256 KiB WAL that uploads every 32 KiB: S3 trouble fills it within about thirty 8 KiB batches. */
    private StreamStorageEngine engine() {
        StorageConfig config = new StorageConfig(dir.resolve("wal"), 256 * 1024, 30_000, 32 * 1024, 60_000,
                8L * 1024 * 1024, 16 * 1024);
        StreamStorageEngine engine = new StreamStorageEngine(config, objects, metadata, Clock.systemUTC());
        engines.add(engine);
        engine.start().join();
        return engine;
    }

    @Test
    void appendsStallWhileS3ThrottlesThenCompleteAndEveryAcknowledgedRecordIsInTheBucket() throws Exception {
        runThroughFault(Fault.SLOW_DOWN_503);
    }

    @Test
    void appendsStallWhileS3HangsThenCompleteAndEveryAcknowledgedRecordIsInTheBucket() throws Exception {
        runThroughFault(Fault.STALL);
    }

    private void runThroughFault(Fault fault) throws Exception {
        StreamStorageEngine engine = engine();
        Stream stream = engine.openStream(engine.createStream().join(), 0).join();
        List<StreamRecordBatch> acked = new CopyOnWriteArrayList<>();
        proxy.inject(fault);

        // One producer appending one batch at a time, as a partition does.
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < BATCHES; i++) {
                StreamRecordBatch batch = batch(stream, BATCH_BYTES);
                stream.append(batch).join();
                acked.add(batch);
            }
        });

        // The WAL fills and appends stop being acknowledged...
        awaitNoProgress(acked, Duration.ofMillis(700));
        int ackedWhileFailing = acked.size();
        assertThat(ackedWhileFailing).isBetween(10, BATCHES - 1);
        assertThat(producer).isNotDone();
        // ...uploads kept trying, and nothing was committed or made visible without its PUT.
        assertThat(objects.stats().retries(CallType.PUT)).isPositive();
        assertThat(metadata.committedObjects()).isEmpty();
        assertThat(S3.keys(bucket)).noneMatch(key -> key.startsWith(ObjectKeys.OBJECTS_PREFIX));

        proxy.heal();
        // Generous bounds: they catch a hang, not slowness (shared CI machines can be very slow).
        producer.get(120, TimeUnit.SECONDS);
        assertThat(acked).hasSize(BATCHES);
        engine.uploadAll().get(120, TimeUnit.SECONDS);
        List<String> keys = S3.keys(bucket);
        for (ObjectMetadata object : metadata.committedObjects()) {
            assertThat(keys).contains(ObjectKeys.objectKey(object.objectId()));
        }
        engine.shutdown().get(120, TimeUnit.SECONDS);

        // Read back through a new engine: every acknowledged batch, from the bucket.
        StreamStorageEngine restarted = engine();
        Stream reopened = restarted.openStream(stream.streamId(), 1).join();
        assertThat(readAll(reopened)).containsExactlyElementsOf(acked);
    }

    /** Waits until the list has not grown for {@code quiet}. */
    private static void awaitNoProgress(List<?> list, Duration quiet) {
        int[] last = {-1};
        long[] sinceNs = {System.nanoTime()};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            int size = list.size();
            if (size != last[0]) {
                last[0] = size;
                sinceNs[0] = System.nanoTime();
                return false;
            }
            return System.nanoTime() - sinceNs[0] >= quiet.toNanos();
        });
    }
}
