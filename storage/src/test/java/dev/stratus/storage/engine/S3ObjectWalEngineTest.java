package dev.stratus.storage.engine;

import dev.stratus.storage.metadata.InMemoryStreamMetadataStore;
import dev.stratus.storage.objects.s3.S3ObjectStorage;
import dev.stratus.storage.stream.FetchResult;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.testing.S3ProxyFixture;
import dev.stratus.storage.wal.ObjectWalConfig;
import dev.stratus.storage.wal.WalType;
import dev.stratus.storage.wal.WriteAheadLog;
import dev.stratus.storage.wal.WriteAheadLogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The object WAL on a real S3 server (s3proxy, conditional writes through {@code If-None-Match}):
 * a killed node's WAL is recovered by another node with every acknowledged record, and the
 * killed node, should it still run, is fenced.
 */
class S3ObjectWalEngineTest {

    @RegisterExtension
    static final S3ProxyFixture S3 = new S3ProxyFixture();

    private static final int DEAD_NODE = 1;
    private static final int RESCUER = 2;

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private final InMemoryStreamMetadataStore metadata = new InMemoryStreamMetadataStore(clock);
    private final List<StreamStorageEngine> engines = new ArrayList<>();
    private S3ObjectStorage objects;

    @BeforeEach
    void setUp() {
        objects = S3ObjectStorage.open(S3.config(S3.createBucket()));
    }

    @AfterEach
    void tearDown() {
        engines.forEach(StreamStorageEngine::close);
        objects.close();
    }

    private StorageConfig config() {
        return new StorageConfig(dir.resolve("no-wal-here"), 4L * 1024 * 1024, 5_000, 64L * 1024 * 1024, 60_000,
                8L * 1024 * 1024, 256 * 1024);
    }

    private static ObjectWalConfig walConfig(int node) {
        return ObjectWalConfig.defaults(node).withBatching(20, 1024 * 1024).withRetryBackoff(10, 200);
    }

    private StreamStorageEngine engine(WriteAheadLog wal) {
        StreamStorageEngine engine = new StreamStorageEngine(config(), wal, objects, metadata, clock);
        engines.add(engine);
        engine.start().join();
        return engine;
    }

    private StreamStorageEngine nodeEngine(int node) {
        return engine(WriteAheadLogFactory.create(WalType.OBJECT, config().walConfig(), walConfig(node), objects, clock));
    }

    private void recoverWalOf(int dead, int rescuer) {
        engine(WriteAheadLogFactory.recoveryOf(dead, walConfig(rescuer), objects, clock)).shutdown().join();
    }

    private static StreamRecordBatch batch(Stream stream, int size) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (stream.streamId() * 13 + stream.nextOffset() * 3 + i);
        }
        return new StreamRecordBatch(stream.streamId(), stream.epoch(), stream.nextOffset(), 3, ByteBuffer.wrap(payload));
    }

    private static List<StreamRecordBatch> appendMany(Stream stream, int batches) {
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

    private static List<StreamRecordBatch> readAll(Stream stream) {
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

    @Test
    void aKilledNodesWalIsRecoveredFromS3ByAnotherNode() {
        StreamStorageEngine dead = nodeEngine(DEAD_NODE);
        Stream stream = dead.openStream(dead.createStream().join(), 0).join();
        List<StreamRecordBatch> acked = appendMany(stream, 20);
        dead.uploadAll().join();
        acked.addAll(appendMany(stream, 30));
        dead.close();

        recoverWalOf(DEAD_NODE, RESCUER);

        Stream reopened = nodeEngine(RESCUER).openStream(stream.streamId(), 1).join();
        assertThat(reopened.confirmedOffset()).isEqualTo(150);
        assertThat(readAll(reopened)).containsExactlyElementsOf(acked);
        assertThat(Files.exists(config().walPath())).isFalse();
    }

    @Test
    void theKilledNodeIsFencedIfItStillRuns() {
        StreamStorageEngine zombie = nodeEngine(DEAD_NODE);
        Stream stream = zombie.openStream(zombie.createStream().join(), 0).join();
        List<StreamRecordBatch> acked = appendMany(stream, 10);

        recoverWalOf(DEAD_NODE, RESCUER);

        CompletableFuture<Long> late = stream.append(batch(stream, 100));
        assertThatThrownBy(late::join).isInstanceOf(CompletionException.class).cause()
                .satisfies(e -> assertThat(((StreamException) e).code()).isEqualTo(StreamErrorCode.FENCED));
        Stream reopened = nodeEngine(RESCUER).openStream(stream.streamId(), 1).join();
        assertThat(readAll(reopened)).containsExactlyElementsOf(acked);
    }
}
