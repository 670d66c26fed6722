package dev.stratus.storage.wal;

import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.stratus.storage.wal.WalTestSupport.batch;
import static dev.stratus.storage.wal.WalTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileWriteAheadLogTest {

    private static final long CAPACITY = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void recordsAppendedBeforeCloseAreRecoveredIdenticallyAfterReopen() throws Exception {
        Path path = dir.resolve("wal");
        List<StreamRecordBatch> written = new ArrayList<>();
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(path, CAPACITY))) {
            assertThat(wal.start().records()).isZero();
            for (int i = 0; i < 20; i++) {
                StreamRecordBatch batch = batch(i % 3, i * 10L, 10, 100 + i * 37);
                written.add(batch);
                wal.append(batch).get(5, TimeUnit.SECONDS);
            }
        }
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(path, CAPACITY))) {
            WalRecoveryResult recovery = wal.start();
            assertThat(recovery.records()).isEqualTo(20);
            WalReadResult read = wal.read(recovery.startPosition(), recovery.endPosition(), Long.MAX_VALUE);
            assertThat(read.entries()).extracting(WalEntry::batch).containsExactlyElementsOf(written);
            assertThat(read.endPosition()).isEqualTo(recovery.endPosition());
        }
    }

    @Test
    void whenABarrierCompletesTheConfirmedPositionCoversEveryAppendMadeBeforeIt() throws Exception {
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(dir.resolve("wal"), 8 * CAPACITY))) {
            wal.start();
            // Appends and the barrier are queued without waiting, so the barrier usually shares a group with appends.
            List<CompletableFuture<WalAppendResult>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(wal.append(batch(1, i, 1, 100)));
            }
            long confirmedAtBarrier = wal.barrier().thenApply(v -> wal.confirmedPosition()).get(10, TimeUnit.SECONDS);
            assertThat(confirmedAtBarrier).isGreaterThanOrEqualTo(futures.get(futures.size() - 1).join().endPosition());
        }
    }

    @Test
    void concurrentAppendsShareForcesThroughGroupCommit() throws Exception {
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(dir.resolve("wal"), 8 * CAPACITY))) {
            wal.start();
            List<CompletableFuture<WalAppendResult>> futures = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                futures.add(wal.append(batch(1, i, 1, 100)));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            // Fewer forces than appends means forces were shared; how many depends on scheduling.
            assertThat(wal.groupCommits()).isLessThan(futures.size());
            long previousEnd = 0;
            for (CompletableFuture<WalAppendResult> future : futures) {
                assertThat(future.get().position()).isEqualTo(previousEnd);
                previousEnd = future.get().endPosition();
            }
            assertThat(wal.confirmedPosition()).isEqualTo(previousEnd);
        }
    }

    @Test
    void callbacksRunInAppendOrderOnlyAfterTheRecordIsDurable() throws Exception {
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(dir.resolve("wal"), CAPACITY))) {
            wal.start();
            List<Long> order = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long offset = i;
                wal.append(batch(1, offset, 1, 10), (result, error) -> order.add(offset));
            }
            wal.barrier().get(5, TimeUnit.SECONDS);
            assertThat(order).hasSize(200).isSorted();
        }
    }

    @Test
    void recordLargerThanTheRingFailsRecordTooLarge() {
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(dir.resolve("wal"), 64 * 1024))) {
            wal.start();
            assertThatThrownBy(() -> wal.append(batch(1, 0, 1, 64 * 1024)).get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StreamException.class)
                    .extracting(e -> ((StreamException) e).code()).isEqualTo(StreamErrorCode.RECORD_TOO_LARGE);
        }
    }

    @Test
    void restartAfterTrimToTheEndRecoversNothing() throws Exception {
        Path path = dir.resolve("wal");
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(path, CAPACITY))) {
            wal.start();
            WalAppendResult last = null;
            for (int i = 0; i < 5; i++) {
                last = wal.append(batch(1, i, 1, 1000)).get(5, TimeUnit.SECONDS);
            }
            wal.trim(last.endPosition()).get(5, TimeUnit.SECONDS);
        }
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(path, CAPACITY))) {
            WalRecoveryResult recovery = wal.start();
            assertThat(recovery.records()).isZero();
            assertThat(recovery.bytes()).isZero();
            assertThat(recovery.startPosition()).isEqualTo(recovery.endPosition()).isPositive();
        }
    }
}
