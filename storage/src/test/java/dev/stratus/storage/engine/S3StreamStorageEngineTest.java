package dev.stratus.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.storage.metadata.InMemoryStreamMetadataStore;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.objects.ObjectStorageStats.CallType;
import dev.stratus.storage.objects.s3.S3Config;
import dev.stratus.storage.objects.s3.S3ObjectStorage;
import dev.stratus.storage.stream.FetchResult;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.testing.S3ProxyFixture;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The storage engine on {@link S3ObjectStorage} over a real S3 server (s3proxy). */
class S3StreamStorageEngineTest {

    @RegisterExtension
    static final S3ProxyFixture S3 = new S3ProxyFixture();

    @TempDir
    Path dir;

    private final InMemoryStreamMetadataStore metadata = new InMemoryStreamMetadataStore(Clock.systemUTC());
    private final List<StreamStorageEngine> engines = new ArrayList<>();
    private String bucket;
    private S3ObjectStorage objects;

    @BeforeEach
    void setUp() {
        bucket = S3.createBucket();
        objects = S3ObjectStorage.open(S3.config(bucket));
    }

    @AfterEach
    void tearDown() {
        engines.forEach(StreamStorageEngine::close);
        objects.close();
    }

    private StreamStorageEngine engine() {
        StorageConfig config = new StorageConfig(dir.resolve("wal"), 4L * 1024 * 1024, 5_000, 64L * 1024 * 1024, 60_000,
                8L * 1024 * 1024, 256 * 1024);
        StreamStorageEngine engine = new StreamStorageEngine(config, objects, metadata, Clock.systemUTC());
        engines.add(engine);
        engine.start().join();
        return engine;
    }

    static StreamRecordBatch batch(Stream stream, int size) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (stream.streamId() * 31 + stream.nextOffset() * 7 + i);
        }
        return new StreamRecordBatch(stream.streamId(), stream.epoch(), stream.nextOffset(), 3, ByteBuffer.wrap(payload));
    }

    /** Appends and waits; returns what was acknowledged. */
    static List<StreamRecordBatch> appendMany(Stream stream, int batches) {
        List<StreamRecordBatch> acked = new ArrayList<>();
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            StreamRecordBatch batch = batch(stream, 100 + (i * 131) % 2_000);
            acked.add(batch);
            futures.add(stream.append(batch));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        return acked;
    }

    static List<StreamRecordBatch> readAll(Stream stream) {
        List<StreamRecordBatch> read = new ArrayList<>();
        long next = stream.startOffset();
        while (next < stream.confirmedOffset()) {
            FetchResult result = stream.fetch(next, Long.MAX_VALUE, 16 * 1024).join();
            assertThat(result.batches()).isNotEmpty();
            read.addAll(result.batches());
            next = result.batches().get(result.batches().size() - 1).nextOffset();
        }
        return read;
    }

    private static long idOf(Stream stream) {
        return stream.streamId();
    }

    private void assertCommittedObjectsAreInTheBucket() {
        List<String> keys = S3.keys(bucket);
        for (ObjectMetadata object : metadata.committedObjects()) {
            assertThat(keys).contains(ObjectKeys.objectKey(object.objectId()));
        }
    }

    @Test
    void uploadedStreamsAreReadBackFromTheBucketAfterARestart() {
        StreamStorageEngine first = engine();
        Stream a = first.openStream(first.createStream().join(), 0).join();
        Stream b = first.openStream(first.createStream().join(), 0).join();
        List<StreamRecordBatch> ackedA = appendMany(a, 40);
        List<StreamRecordBatch> ackedB = appendMany(b, 25);
        first.uploadAll().join();

        assertThat(metadata.committedObjects()).isNotEmpty();
        assertThat(S3.keys(bucket)).anyMatch(key -> key.startsWith(ObjectKeys.OBJECTS_PREFIX));
        assertCommittedObjectsAreInTheBucket();
        assertThat(objects.stats().calls(CallType.PUT)).isPositive();
        first.shutdown().join();

        // A new engine has an empty log cache: every batch comes from ranged GETs on the bucket.
        long getsBefore = objects.stats().calls(CallType.GET);
        StreamStorageEngine second = engine();
        Stream a2 = second.openStream(idOf(a), 1).join();
        Stream b2 = second.openStream(idOf(b), 1).join();
        assertThat(readAll(a2)).containsExactlyElementsOf(ackedA);
        assertThat(readAll(b2)).containsExactlyElementsOf(ackedB);
        assertThat(objects.stats().calls(CallType.GET)).isGreaterThan(getsBefore);
        // No faults were injected: at most one incidental retry of a loopback connection (see S3ObjectStorageTest).
        assertThat(objects.stats().totalRetries()).isLessThanOrEqualTo(1);
    }

    @Test
    void anUploadLargerThanAPartIsStreamedIntoAMultipartUploadAndReadBackWhole() {
        long partBytes = S3Config.MIN_PART_SIZE_BYTES;
        S3ObjectStorage smallParts = S3ObjectStorage.open(S3.config(bucket).withPartSizeBytes(partBytes));
        try {
            StorageConfig config = new StorageConfig(dir.resolve("wal-multipart"), 64L * 1024 * 1024, 5_000,
                    64L * 1024 * 1024, 60_000, 8L * 1024 * 1024, 256 * 1024);
            StreamStorageEngine engine = new StreamStorageEngine(config, smallParts, metadata, Clock.systemUTC());
            engines.add(engine);
            engine.start().join();
            Stream stream = engine.openStream(engine.createStream().join(), 0).join();
            List<StreamRecordBatch> acked = new ArrayList<>();
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                StreamRecordBatch batch = batch(stream, 64 * 1024);
                acked.add(batch);
                futures.add(stream.append(batch));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
            long putsBefore = smallParts.stats().calls(CallType.PUT);

            engine.uploadAll().join();

            ObjectMetadata object = metadata.committedObjects().get(0);
            long parts = (object.sizeBytes() + partBytes - 1) / partBytes;
            assertThat(parts).isGreaterThanOrEqualTo(3);
            // CreateMultipartUpload, every part, CompleteMultipartUpload, and at most one incidental
            // retry of a loopback connection (see S3ObjectStorageTest).
            assertThat(smallParts.stats().calls(CallType.PUT) - putsBefore).isBetween(parts + 2, parts + 3);
            assertCommittedObjectsAreInTheBucket();
            engine.shutdown().join();

            StreamStorageEngine reader = new StreamStorageEngine(config, smallParts, metadata, Clock.systemUTC());
            engines.add(reader);
            reader.start().join();
            assertThat(readAll(reader.openStream(stream.streamId(), 1).join())).containsExactlyElementsOf(acked);
        } finally {
            engines.forEach(StreamStorageEngine::close);
            engines.clear();
            smallParts.close();
        }
    }

    @Test
    void aCrashBeforeUploadIsRecoveredFromTheWalIntoTheBucket() {
        StreamStorageEngine crashed = engine();
        Stream stream = crashed.openStream(crashed.createStream().join(), 0).join();
        List<StreamRecordBatch> acked = appendMany(stream, 30);
        crashed.close();
        assertThat(metadata.committedObjects()).isEmpty();
        assertThat(S3.keys(bucket)).isEmpty();

        StreamStorageEngine restarted = engine();
        assertThat(metadata.committedObjects()).isNotEmpty();
        assertCommittedObjectsAreInTheBucket();
        Stream reopened = restarted.openStream(idOf(stream), 1).join();
        assertThat(reopened.confirmedOffset()).isEqualTo(stream.nextOffset());
        assertThat(readAll(reopened)).containsExactlyElementsOf(acked);
    }
}
