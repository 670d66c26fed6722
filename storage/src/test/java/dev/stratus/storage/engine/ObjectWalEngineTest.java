package dev.stratus.storage.engine;

import dev.stratus.storage.metadata.InMemoryStreamMetadataStore;
import dev.stratus.storage.objects.FsObjectStorage;
import dev.stratus.storage.stream.FetchResult;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.wal.ObjectWalConfig;
import dev.stratus.storage.wal.ObjectWalFormat;
import dev.stratus.storage.wal.ObjectWalHeader;
import dev.stratus.storage.wal.ObjectWalKeys;
import dev.stratus.storage.wal.WalType;
import dev.stratus.storage.wal.WriteAheadLog;
import dev.stratus.storage.wal.WriteAheadLogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The storage engine on the object WAL: a node that dies without uploading loses nothing it
 * acknowledged, because another node recovers its WAL from object storage alone.
 */
class ObjectWalEngineTest {

    private static final int DEAD_NODE = 1;
    private static final int RESCUER = 2;

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private final InMemoryStreamMetadataStore metadata = new InMemoryStreamMetadataStore(clock);
    private FsObjectStorage objects;
    private final List<StreamStorageEngine> engines = new ArrayList<>();

    @AfterEach
    void tearDown() {
        engines.forEach(StreamStorageEngine::close);
        if (objects != null) {
            objects.close();
        }
    }

    private StorageConfig config() {
        // walPath is what a file WAL would use: the object WAL never touches it.
        return new StorageConfig(dir.resolve("no-wal-here"), 4L * 1024 * 1024, 2_000, 64L * 1024 * 1024, 60_000,
                64L * 1024 * 1024, 256 * 1024);
    }

    private static ObjectWalConfig walConfig(int node) {
        return ObjectWalConfig.defaults(node).withBatching(20, 1024 * 1024).withRetryBackoff(10, 100);
    }

    private StreamStorageEngine engine(WriteAheadLog wal) {
        if (objects == null) {
            objects = new FsObjectStorage(dir.resolve("objects"));
        }
        StreamStorageEngine engine = new StreamStorageEngine(config(), wal, objects, metadata, clock);
        engines.add(engine);
        engine.start().join();
        return engine;
    }

    private StreamStorageEngine nodeEngine(int node) {
        objectsStore();
        return engine(WriteAheadLogFactory.create(WalType.OBJECT, config().walConfig(), walConfig(node), objects, clock));
    }

    /** Node {@code rescuer} replays {@code dead}'s WAL in an engine of its own, then stops it. */
    private void recoverWalOf(int dead, int rescuer) {
        StreamStorageEngine recovery = engine(WriteAheadLogFactory.recoveryOf(dead, walConfig(rescuer), objects, clock));
        recovery.shutdown().join();
    }

    private void objectsStore() {
        if (objects == null) {
            objects = new FsObjectStorage(dir.resolve("objects"));
        }
    }

    private static StreamRecordBatch batch(long stream, long base, int count, int size) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (stream * 5 + base * 11 + i);
        }
        return new StreamRecordBatch(stream, 0, base, count, ByteBuffer.wrap(payload));
    }

    private static List<StreamRecordBatch> appendMany(Stream stream, int batches) {
        List<StreamRecordBatch> acked = new ArrayList<>();
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            StreamRecordBatch batch = batch(stream.streamId(), stream.nextOffset(), 4, 40 + (i * 131) % 2_000);
            acked.add(new StreamRecordBatch(stream.streamId(), stream.epoch(), batch.baseOffset(), batch.count(), batch.payloadView()));
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

    private List<ObjectWalHeader> walHeaders(int node) {
        return objects.list(ObjectWalKeys.prefix(node)).join().stream()
                .map(key -> ObjectWalFormat.decodeHeader(objects.rangeRead(key, 0, ObjectWalFormat.HEADER_SIZE).join()))
                .collect(Collectors.toList());
    }

    @Test
    void aKilledNodesWalIsRecoveredByAnotherNodeWithEveryAcknowledgedBatch() {
        StreamStorageEngine dead = nodeEngine(DEAD_NODE);
        List<Stream> streams = List.of(dead.openStream(dead.createStream().join(), 0).join(),
                dead.openStream(dead.createStream().join(), 0).join(), dead.openStream(dead.createStream().join(), 0).join());
        Map<Long, List<StreamRecordBatch>> acked = new HashMap<>();
        for (Stream stream : streams) {
            acked.put(stream.streamId(), appendMany(stream, 20));
        }
        dead.uploadAll().join();
        for (Stream stream : streams) {
            acked.get(stream.streamId()).addAll(appendMany(stream, 30));
        }
        dead.close();
        assertThat(metadata.describeStream(streams.get(0).streamId()).join().endOffset()).isEqualTo(80);

        recoverWalOf(DEAD_NODE, RESCUER);

        StreamStorageEngine rescuer = nodeEngine(RESCUER);
        for (Stream before : streams) {
            assertThat(metadata.describeStream(before.streamId()).join().endOffset()).isEqualTo(200);
            Stream after = rescuer.openStream(before.streamId(), 1).join();
            assertThat(readAll(after)).containsExactlyElementsOf(acked.get(before.streamId()));
        }
        // Object storage alone: no WAL file anywhere, and the dead node's WAL keeps only fences and trim markers.
        assertThat(Files.exists(config().walPath())).isFalse();
        assertThat(walHeaders(DEAD_NODE)).allSatisfy(header -> assertThat(header.recordCount()).isZero());
    }

    @Test
    void aNodeStillRunningAfterItsWalWasRecoveredIsFencedAndLosesNothingItAcknowledged() {
        StreamStorageEngine zombie = nodeEngine(DEAD_NODE);
        Stream stream = zombie.openStream(zombie.createStream().join(), 0).join();
        List<StreamRecordBatch> acked = appendMany(stream, 25);

        recoverWalOf(DEAD_NODE, RESCUER);

        CompletableFuture<Long> late = stream.append(batch(stream.streamId(), stream.nextOffset(), 4, 100));
        assertThatThrownBy(late::join).isInstanceOf(CompletionException.class).cause()
                .satisfies(e -> assertThat(((StreamException) e).code()).isEqualTo(StreamErrorCode.FENCED));

        StreamStorageEngine rescuer = nodeEngine(RESCUER);
        Stream reopened = rescuer.openStream(stream.streamId(), 1).join();
        assertThat(reopened.confirmedOffset()).isEqualTo(100);
        assertThat(readAll(reopened)).containsExactlyElementsOf(acked);
    }

    @Test
    void afterOneStreamWasUploadedAnotherNodeRecoversTheRestOfTheObjectWalWithoutDuplicates() {
        StreamStorageEngine dead = nodeEngine(DEAD_NODE);
        Stream moved = dead.openStream(dead.createStream().join(), 0).join();
        Stream stayed = dead.openStream(dead.createStream().join(), 0).join();
        List<StreamRecordBatch> ackedMoved = appendMany(moved, 10);
        List<StreamRecordBatch> ackedStayed = appendMany(stayed, 10);
        ackedMoved.addAll(appendMany(moved, 10));
        dead.uploadStream(moved.streamId()).join();
        assertThat(metadata.describeStream(moved.streamId()).join().endOffset()).isEqualTo(80);
        assertThat(metadata.describeStream(stayed.streamId()).join().endOffset()).isZero();
        dead.close();

        recoverWalOf(DEAD_NODE, RESCUER);

        StreamStorageEngine rescuer = nodeEngine(RESCUER);
        assertThat(readAll(rescuer.openStream(moved.streamId(), 1).join())).containsExactlyElementsOf(ackedMoved);
        assertThat(readAll(rescuer.openStream(stayed.streamId(), 1).join())).containsExactlyElementsOf(ackedStayed);
        assertThat(metadata.committedObjects().stream().map(o -> o.rangeOf(moved.streamId())).filter(r -> r != null)
                .mapToLong(r -> r.endOffset() - r.startOffset()).sum()).as("offsets of the moved stream committed once")
                .isEqualTo(80);
    }

    @Test
    void aRestartedNodeReplaysItsOwnObjectWal() {
        StreamStorageEngine first = nodeEngine(DEAD_NODE);
        Stream stream = first.openStream(first.createStream().join(), 0).join();
        List<StreamRecordBatch> acked = appendMany(stream, 30);
        first.close();

        StreamStorageEngine restarted = nodeEngine(DEAD_NODE);
        Stream reopened = restarted.openStream(stream.streamId(), 1).join();
        assertThat(readAll(reopened)).containsExactlyElementsOf(acked);
        acked.addAll(appendMany(reopened, 5));
        restarted.shutdown().join();

        StreamStorageEngine again = nodeEngine(DEAD_NODE);
        assertThat(readAll(again.openStream(stream.streamId(), 2).join())).containsExactlyElementsOf(acked);
    }
}
