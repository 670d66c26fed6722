package dev.stratus.storage.wal;

import dev.stratus.storage.objects.FsObjectStorage;
import dev.stratus.storage.objects.MemoryObjectStorage;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.objects.ObjectStorageStats.CallType;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.testing.ForwardingObjectStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static dev.stratus.storage.wal.WalTestSupport.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ObjectWriteAheadLogTest {

    private static final int NODE = 7;
    private static final int OTHER_NODE = 8;

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private ObjectStorage storage(String type) {
        ObjectStorage storage = type.equals("fs") ? new FsObjectStorage(dir.resolve("objects")) : new MemoryObjectStorage();
        closeables.add(storage);
        return storage;
    }

    /** Fast settings: 20 ms batches, 64 KiB objects, 10..50 ms retry backoff. */
    private static ObjectWalConfig fast(int walNode, int owner) {
        return ObjectWalConfig.defaults(walNode, owner).withBatching(20, 64 * 1024).withInFlight(4, 1024 * 1024)
                .withRetryBackoff(10, 50).withAppendTimeoutMs(2_000);
    }

    private ObjectWriteAheadLog open(ObjectWalConfig config, ObjectStorage storage, Clock clock) {
        ObjectWriteAheadLog wal = new ObjectWriteAheadLog(config, storage, clock);
        closeables.add(wal);
        return wal;
    }

    private ObjectWriteAheadLog started(ObjectWalConfig config, ObjectStorage storage) {
        ObjectWriteAheadLog wal = open(config, storage, Clock.systemUTC());
        wal.start();
        return wal;
    }

    private static List<StreamRecordBatch> appendAll(WriteAheadLog wal, long streamId, int count, int size) {
        List<StreamRecordBatch> batches = new ArrayList<>();
        List<CompletableFuture<WalAppendResult>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StreamRecordBatch batch = batch(streamId, i * 10L, 10, size + i);
            batches.add(batch);
            futures.add(wal.append(batch));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        return batches;
    }

    private static List<StreamRecordBatch> readAll(WriteAheadLog wal) {
        wal.barrier().join();
        List<StreamRecordBatch> read = new ArrayList<>();
        long position = wal.trimPosition();
        while (position < wal.confirmedPosition()) {
            WalReadResult result = wal.read(position, wal.confirmedPosition(), 4_000);
            assertThat(result.entries()).isNotEmpty();
            result.entries().forEach(entry -> read.add(entry.batch()));
            position = result.endPosition();
        }
        return read;
    }

    private static List<StreamRecordBatch> batchesOf(ObjectWalRecovery recovery) {
        return recovery.entries().stream().map(WalEntry::batch).toList();
    }

    private static List<String> walKeys(ObjectStorage storage, int node) {
        return storage.list(ObjectWalKeys.prefix(node)).join();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "fs"})
    void acknowledgedRecordsAreReadBackAndRecoveredByTheNextOpen(String type) {
        ObjectStorage storage = storage(type);
        ObjectWriteAheadLog wal = started(fast(NODE, NODE), storage);
        List<StreamRecordBatch> appended = appendAll(wal, 1, 50, 300);

        assertThat(readAll(wal)).containsExactlyElementsOf(appended);
        long end = wal.confirmedPosition();
        wal.close();

        ObjectWriteAheadLog reopened = open(fast(NODE, NODE), storage, Clock.systemUTC());
        WalRecoveryResult recovery = reopened.start();
        assertThat(recovery.records()).isEqualTo(50);
        assertThat(recovery.endPosition()).isEqualTo(end);
        assertThat(readAll(reopened)).containsExactlyElementsOf(appended);
        assertThat(reopened.epoch()).isEqualTo(2);

        // The reopened log continues at the recovered end; a third open finds both generations.
        List<StreamRecordBatch> more = appendAll(reopened, 2, 5, 100);
        reopened.close();
        List<StreamRecordBatch> all = new ArrayList<>(appended);
        all.addAll(more);
        assertThat(batchesOf(ObjectWriteAheadLog.recover(storage, NODE, NODE))).containsExactlyElementsOf(all);
    }

    @Test
    void recordsEvictedFromMemoryAreReadFromTheirObjects() {
        MemoryObjectStorage storage = new MemoryObjectStorage();
        ObjectWriteAheadLog wal = started(fast(NODE, NODE).withReadCacheBytes(0), storage);
        List<StreamRecordBatch> appended = appendAll(wal, 1, 20, 500);
        long getsBefore = storage.stats().calls(CallType.GET);
        long bytesBefore = storage.stats().bytes(CallType.GET);

        assertThat(readAll(wal)).containsExactlyElementsOf(appended);
        assertThat(storage.stats().calls(CallType.GET)).isGreaterThan(getsBefore);
        // Every GET of this read is a WAL object read back, and is counted as such.
        assertThat(wal.objectsReadBack()).isEqualTo(storage.stats().calls(CallType.GET) - getsBefore);
        assertThat(wal.bytesReadBack()).isEqualTo(storage.stats().bytes(CallType.GET) - bytesBefore);
    }

    @Test
    void anAppendIsAcknowledgedOnlyOnceItsPutSucceeded() {
        ControlledObjectStorage storage = new ControlledObjectStorage(new MemoryObjectStorage());
        ObjectWriteAheadLog wal = started(fast(NODE, NODE), storage);
        storage.holdPuts();

        CompletableFuture<WalAppendResult> first = wal.append(batch(1, 0, 1, 100));
        await().atMost(Duration.ofSeconds(5)).until(() -> storage.heldPuts() == 1);
        CompletableFuture<WalAppendResult> second = wal.append(batch(1, 1, 1, 100));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !first.isDone() && !second.isDone());
        assertThat(wal.confirmedPosition()).isZero();

        storage.releasePuts();
        WalAppendResult result = first.join();
        assertThat(result.position()).isZero();
        assertThat(second.join().position()).isEqualTo(result.endPosition());
        wal.barrier().join();
        assertThat(wal.confirmedPosition()).isEqualTo(second.join().endPosition());
    }

    @Test
    void objectsWrittenOutOfOrderAreAcknowledgedInSequenceOrder() {
        ControlledObjectStorage storage = new ControlledObjectStorage(new MemoryObjectStorage());
        ObjectWriteAheadLog wal = started(fast(NODE, NODE), storage);
        storage.failNextPuts(1);
        List<Integer> order = new ArrayList<>();
        List<CompletableFuture<WalAppendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int index = i;
            CompletableFuture<WalAppendResult> future = new CompletableFuture<>();
            wal.append(batch(1, i, 1, 100), (result, error) -> {
                synchronized (order) {
                    order.add(index);
                }
                future.complete(result);
            });
            wal.barrier();
            futures.add(future);
        }
        futures.forEach(CompletableFuture::join);
        // The first object's PUT failed and was retried after the others had landed.
        assertThat(storage.failedPuts()).isEqualTo(1);
        assertThat(order).containsExactly(0, 1, 2);
    }

    @Test
    void appendsAreBatchedUntilTheIntervalPasses() {
        ManualClock clock = new ManualClock();
        ControlledObjectStorage storage = new ControlledObjectStorage(new MemoryObjectStorage());
        ObjectWriteAheadLog wal = open(ObjectWalConfig.defaults(NODE).withRetryBackoff(10, 50), storage, clock);
        wal.start();
        int putsAfterStart = storage.conditionalPuts();
        List<CompletableFuture<WalAppendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(wal.append(batch(1, i, 1, 200)));
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> futures.stream().noneMatch(CompletableFuture::isDone));
        assertThat(storage.conditionalPuts()).isEqualTo(putsAfterStart);

        clock.advanceMs(ObjectWalConfig.DEFAULT_BATCH_INTERVAL_MS);
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        assertThat(storage.conditionalPuts() - putsAfterStart).isEqualTo(1);
        assertThat(wal.objectsWritten()).isEqualTo(1);
    }

    @Test
    void anObjectIsWrittenAsSoonAsItIsFull() {
        ManualClock clock = new ManualClock();
        MemoryObjectStorage storage = new MemoryObjectStorage();
        // 4 KiB objects; each record takes 64 + 1000 bytes, so three fit in one object.
        ObjectWriteAheadLog wal = open(ObjectWalConfig.defaults(NODE).withBatching(60_000, 4096), storage, clock);
        wal.start();
        List<CompletableFuture<WalAppendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            futures.add(wal.append(batch(1, i, 1, 1000)));
        }
        CompletableFuture.allOf(futures.subList(0, 9).toArray(CompletableFuture[]::new)).join();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !futures.get(9).isDone());
        assertThat(wal.objectsWritten()).isEqualTo(3);

        wal.barrier().join();
        assertThat(futures.get(9)).isDone();
        assertThat(wal.objectsWritten()).isEqualTo(4);
        assertThat(walKeys(storage, NODE)).hasSize(1 + 4);
    }

    @Test
    void failedPutsAreRetriedAndNothingIsAcknowledgedWhileTheyFail() {
        ControlledObjectStorage storage = new ControlledObjectStorage(new MemoryObjectStorage());
        ObjectWriteAheadLog wal = open(fast(NODE, NODE).withRetryBackoff(50, 50), storage, Clock.systemUTC());
        wal.start();
        storage.failNextPuts(4);

        CompletableFuture<WalAppendResult> append = wal.append(batch(1, 0, 1, 100));
        await().atMost(Duration.ofSeconds(5)).until(() -> storage.failedPuts() >= 2);
        assertThat(append).isNotDone();
        assertThat(wal.confirmedPosition()).isZero();

        assertThat(append.join().endPosition()).isPositive();
        assertThat(storage.failedPuts()).isEqualTo(4);
        assertThat(readAll(wal)).containsExactly(batch(1, 0, 1, 100));
    }

    @Test
    void aPutThatLandedButReportedAFailureIsRecognisedAsOwnOnRetry() {
        ControlledObjectStorage storage = new ControlledObjectStorage(new MemoryObjectStorage());
        ObjectWriteAheadLog wal = started(fast(NODE, NODE), storage);
        storage.loseAnswerOfNextPuts(1);

        StreamRecordBatch batch = batch(1, 0, 1, 100);
        assertThat(wal.append(batch).join().position()).isZero();
        assertThat(storage.failedPuts()).isEqualTo(1);
        assertThat(wal.append(batch(1, 1, 1, 100)).join()).isNotNull();
        wal.close();
        assertThat(batchesOf(ObjectWriteAheadLog.recover(storage, NODE, OTHER_NODE))).containsExactly(batch, batch(1, 1, 1, 100));
    }

    @Test
    void appendsWaitForRoomThenFailStorageUnavailable() {
        ControlledObjectStorage storage = new ControlledObjectStorage(new MemoryObjectStorage());
        ObjectWalConfig config = ObjectWalConfig.defaults(NODE).withBatching(10, 4096).withInFlight(1, 4096)
                .withAppendTimeoutMs(300);
        ObjectWriteAheadLog wal = open(config, storage, Clock.systemUTC());
        wal.start();
        storage.holdPuts();

        CompletableFuture<WalAppendResult> inFlight = wal.append(batch(1, 0, 1, 3000));
        await().atMost(Duration.ofSeconds(5)).until(() -> storage.heldPuts() == 1);
        CompletableFuture<WalAppendResult> waiting = wal.append(batch(1, 1, 1, 3000));

        assertThatThrownBy(waiting::join).hasCauseInstanceOf(StreamException.class)
                .cause().satisfies(e -> assertThat(((StreamException) e).code()).isEqualTo(StreamErrorCode.STORAGE_UNAVAILABLE));
        assertThat(inFlight).isNotDone();
        storage.releasePuts();
        assertThat(inFlight.join().position()).isZero();
        // Service resumes by itself once storage answers again.
        assertThat(wal.append(batch(1, 2, 1, 100)).join()).isNotNull();
    }

    @Test
    void trimDeletesWholeObjectsBelowThePosition() {
        MemoryObjectStorage storage = new MemoryObjectStorage();
        ObjectWriteAheadLog wal = started(fast(NODE, NODE), storage);
        List<WalAppendResult> ends = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ends.add(wal.append(batch(1, i, 1, 500)).join());
            wal.barrier().join();
        }
        assertThat(walKeys(storage, NODE)).hasSize(1 + 4);
        long deletesBefore = storage.stats().calls(CallType.DELETE);

        wal.trim(ends.get(1).endPosition()).join();

        assertThat(wal.trimPosition()).isEqualTo(ends.get(1).endPosition());
        assertThat(storage.stats().calls(CallType.DELETE)).isEqualTo(deletesBefore + 1);
        List<String> keys = walKeys(storage, NODE);
        assertThat(keys).doesNotContain(ObjectWalKeys.key(NODE, ObjectWriteAheadLog.FENCE_GAP),
                ObjectWalKeys.key(NODE, ObjectWriteAheadLog.FENCE_GAP + 1));
        // The fence of the open stays; the two live objects and the trim marker remain.
        assertThat(keys).contains(ObjectWalKeys.key(NODE, 0), ObjectWalKeys.key(NODE, ObjectWriteAheadLog.FENCE_GAP + 2),
                ObjectWalKeys.key(NODE, ObjectWriteAheadLog.FENCE_GAP + 3)).hasSize(4);
        assertThat(readAll(wal)).containsExactly(batch(1, 2, 1, 500), batch(1, 3, 1, 500));
        wal.close();

        ObjectWalRecovery recovery = ObjectWriteAheadLog.recover(storage, NODE, OTHER_NODE);
        assertThat(recovery.startPosition()).isEqualTo(ends.get(1).endPosition());
        assertThat(batchesOf(recovery)).containsExactly(batch(1, 2, 1, 500), batch(1, 3, 1, 500));
    }

    @Test
    void trimToTheEndLeavesNothingToRecover() {
        MemoryObjectStorage storage = new MemoryObjectStorage();
        ObjectWriteAheadLog wal = started(fast(NODE, NODE), storage);
        appendAll(wal, 1, 30, 200);
        wal.barrier().join();
        wal.trim(wal.confirmedPosition()).join();
        assertThat(wal.trimPosition()).isEqualTo(wal.confirmedPosition()).isPositive();
        wal.close();

        ObjectWriteAheadLog reopened = open(fast(NODE, NODE), storage, Clock.systemUTC());
        assertThat(reopened.start().records()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "fs"})
    void anOwnerWhoseNextObjectMeetsAFenceFailsFencedAndAcknowledgesNothingMore(String type) {
        ControlledObjectStorage storage = new ControlledObjectStorage(storage(type));
        ObjectWriteAheadLog owner = started(fast(NODE, NODE), storage);
        List<StreamRecordBatch> acknowledged = appendAll(owner, 1, 10, 200);
        storage.holdPuts();
        CompletableFuture<WalAppendResult> pending = owner.append(batch(1, 100, 10, 200));
        await().atMost(Duration.ofSeconds(5)).until(() -> storage.heldPuts() == 1);

        ObjectWalRecovery recovery = ObjectWriteAheadLog.recover(storage.delegate(), NODE, OTHER_NODE);
        storage.releasePuts();

        assertThat(batchesOf(recovery)).containsExactlyElementsOf(acknowledged);
        assertThatThrownBy(pending::join).isInstanceOf(CompletionException.class)
                .cause().satisfies(e -> assertThat(((StreamException) e).code()).isEqualTo(StreamErrorCode.FENCED));
        CompletableFuture<WalAppendResult> later = owner.append(batch(1, 110, 10, 200));
        assertThatThrownBy(later::join).cause()
                .satisfies(e -> assertThat(((StreamException) e).code()).isEqualTo(StreamErrorCode.FENCED));
        assertThatThrownBy(() -> owner.trim(owner.confirmedPosition() + 0).join()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "fs"})
    void aRecoveryWhileTheOwnerKeepsAppendingHoldsEveryAcknowledgedRecord(String type) throws Exception {
        ObjectStorage storage = storage(type);
        ObjectWriteAheadLog owner = started(fast(NODE, NODE).withBatching(5, 64 * 1024), storage);
        List<StreamRecordBatch> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread producer = new Thread(() -> {
            // Rounds of 20 appends, each round waiting for the previous one, until the owner is fenced.
            for (int round = 0; round < 5_000 && errors.isEmpty(); round++) {
                CompletableFuture<Void> last = new CompletableFuture<>();
                for (int i = 0; i < 20; i++) {
                    StreamRecordBatch batch = batch(1, round * 20L + i, 1, 100);
                    boolean isLast = i == 19;
                    owner.append(batch, (result, error) -> {
                        if (error != null) {
                            errors.add(error);
                        } else {
                            acknowledged.add(batch);
                        }
                        if (isLast) {
                            last.complete(null);
                        }
                    });
                }
                last.join();
            }
        });
        producer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() > 200);

        ObjectWalRecovery recovery = ObjectWriteAheadLog.recover(storage, NODE, OTHER_NODE);
        producer.join(20_000);

        assertThat(errors).isNotEmpty().allSatisfy(e -> assertThat(((StreamException) e).code()).isEqualTo(StreamErrorCode.FENCED));
        List<StreamRecordBatch> recovered = batchesOf(recovery);
        assertThat(recovered).startsWith(acknowledged.toArray(StreamRecordBatch[]::new));
        // Nothing acknowledged after the fence: what was acknowledged is a prefix of what was recovered.
        assertThat(acknowledged.size()).isLessThanOrEqualTo(recovered.size());
    }

    @Test
    void aNewOwnerContinuesAfterTheFenceAndTheStaleOwnersLeftoversAreIgnored() {
        ControlledObjectStorage storage = new ControlledObjectStorage(new MemoryObjectStorage());
        ObjectWriteAheadLog stale = started(fast(NODE, NODE), storage);
        List<StreamRecordBatch> before = appendAll(stale, 1, 5, 100);
        // Two objects in flight: the first will meet the fence, the second lands behind it and is never acknowledged.
        storage.holdPuts();
        CompletableFuture<WalAppendResult> first = stale.append(batch(1, 900, 1, 100));
        stale.barrier();
        CompletableFuture<WalAppendResult> second = stale.append(batch(1, 901, 1, 100));
        stale.barrier();
        await().atMost(Duration.ofSeconds(5)).until(() -> storage.heldPuts() == 2);

        ObjectWriteAheadLog owner = open(fast(NODE, OTHER_NODE), storage.delegate(), Clock.systemUTC());
        assertThat(owner.start().records()).isEqualTo(5);
        storage.releasePuts();
        assertThatThrownBy(first::join).cause().satisfies(e -> assertThat(((StreamException) e).code()).isEqualTo(StreamErrorCode.FENCED));
        assertThatThrownBy(second::join).cause().satisfies(e -> assertThat(((StreamException) e).code()).isEqualTo(StreamErrorCode.FENCED));
        List<StreamRecordBatch> after = appendAll(owner, 2, 5, 100);
        owner.close();

        List<StreamRecordBatch> expected = new ArrayList<>(before);
        expected.addAll(after);
        assertThat(batchesOf(ObjectWriteAheadLog.recover(storage.delegate(), NODE, NODE))).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "fs"})
    void recoveryStopsAtATornLastObject(String type) {
        ObjectStorage storage = storage(type);
        ObjectWriteAheadLog wal = started(fast(NODE, NODE), storage);
        List<StreamRecordBatch> kept = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            kept.add(batch(1, i, 1, 400));
            wal.append(kept.get(i)).join();
            wal.barrier().join();
        }
        wal.close();
        String last = ObjectWalKeys.key(NODE, ObjectWriteAheadLog.FENCE_GAP + 2);
        ByteBuffer whole = storage.rangeRead(last, 0, Long.MAX_VALUE).join();
        ByteBuffer torn = whole.duplicate().limit(whole.remaining() - 100);
        storage.delete(List.of(last)).join();
        storage.put(last, torn).join();

        ObjectWriteAheadLog reopened = open(fast(NODE, NODE), storage, Clock.systemUTC());
        WalRecoveryResult result = reopened.start();
        assertThat(result.records()).isEqualTo(2);
        assertThat(result.stopReason()).contains("torn or corrupt");
        assertThat(readAll(reopened)).containsExactlyElementsOf(kept.subList(0, 2));

        // The next owner writes past the fence; later recoveries skip the torn object and keep both.
        StreamRecordBatch after = batch(2, 0, 1, 100);
        reopened.append(after).join();
        reopened.close();
        WalRecoveryResult again = open(fast(NODE, NODE), storage, Clock.systemUTC()).start();
        assertThat(again.records()).isEqualTo(3);
    }

    @Test
    void aCorruptRecordInTheLastObjectKeepsTheRecordsBeforeIt() {
        MemoryObjectStorage storage = new MemoryObjectStorage();
        ObjectWriteAheadLog wal = started(fast(NODE, NODE), storage);
        List<StreamRecordBatch> appended = appendAll(wal, 1, 3, 300);
        wal.close();
        List<String> keys = walKeys(storage, NODE);
        String last = keys.get(keys.size() - 1);
        ByteBuffer object = storage.rangeRead(last, 0, Long.MAX_VALUE).join();
        ByteBuffer damaged = ByteBuffer.allocate(object.remaining()).put(object.duplicate()).flip();
        int lastPayloadByte = damaged.limit() - 1;
        damaged.put(lastPayloadByte, (byte) (damaged.get(lastPayloadByte) ^ 0x5A));
        storage.put(last, damaged).join();

        ObjectWalRecovery recovery = ObjectWriteAheadLog.recover(storage, NODE, OTHER_NODE);
        assertThat(batchesOf(recovery)).containsExactlyElementsOf(appended.subList(0, 2));
        assertThat(recovery.stopReason()).contains("CRC");
    }

    @Test
    void openingWithoutConditionalWritesFailsWithAClearMessage() {
        ObjectStorage plain = new ForwardingObjectStorage(new MemoryObjectStorage()) {
            @Override
            public CompletableFuture<Boolean> putIfAbsent(String key, ByteBuffer data) {
                throw new UnsupportedOperationException("this store does not support conditional writes (putIfAbsent)");
            }
        };
        ObjectWriteAheadLog wal = open(fast(NODE, NODE), plain, Clock.systemUTC());
        assertThatThrownBy(wal::start).isInstanceOf(StreamException.class).hasMessageContaining("putIfAbsent");
    }
}
