package dev.stratus.storage.wal;

import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.stratus.storage.wal.WalTestSupport.batch;
import static dev.stratus.storage.wal.WalTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WalRingTest {

    private static final long CAPACITY = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void ringWrapsAroundAfterTrimsAndRecoveryReadsAcrossTheWrap() throws Exception {
        Path path = dir.resolve("wal");
        Deque<WalEntry> live = new ArrayDeque<>();
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(path, CAPACITY))) {
            wal.start();
            for (int i = 0; i < 100; i++) {
                // Sizes chosen so that records straddle the physical end of the ring.
                StreamRecordBatch batch = batch(1, i, 1, 3_000 + (i * 613) % 5_000);
                WalAppendResult result = wal.append(batch).get(5, TimeUnit.SECONDS);
                live.add(new WalEntry(result.position(), result.endPosition(), batch));
                while (live.size() > 5) {
                    live.poll();
                    wal.trim(live.peek().position()).get(5, TimeUnit.SECONDS);
                }
            }
            assertThat(wal.confirmedPosition()).isGreaterThan(4 * CAPACITY);
        }
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(path, CAPACITY))) {
            WalRecoveryResult recovery = wal.start();
            assertThat(recovery.startPosition()).isEqualTo(live.peek().position());
            assertThat(wal.read(recovery.startPosition(), recovery.endPosition(), Long.MAX_VALUE).entries())
                    .containsExactlyElementsOf(live);
        }
    }

    @Test
    void fullRingMakesAppendsWaitForATrim() throws Exception {
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(dir.resolve("wal"), CAPACITY).withAppendTimeoutMs(5_000))) {
            wal.start();
            List<WalAppendResult> acked = fill(wal);
            CompletableFuture<WalAppendResult> waiting = wal.append(batch(2, 0, 1, 3_000));
            Thread.sleep(100);
            assertThat(waiting).isNotDone();
            wal.trim(acked.get(0).endPosition()).get(5, TimeUnit.SECONDS);
            assertThat(waiting.get(5, TimeUnit.SECONDS).position()).isEqualTo(acked.get(acked.size() - 1).endPosition());
        }
    }

    @Test
    void fullRingFailsAppendsWithStorageUnavailableAfterTheTimeoutAndKeepsAcknowledgedRecords() throws Exception {
        Path path = dir.resolve("wal");
        List<WalAppendResult> acked;
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(path, CAPACITY).withAppendTimeoutMs(200))) {
            wal.start();
            acked = fill(wal);
            CompletableFuture<WalAppendResult> first = wal.append(batch(2, 0, 1, 3_000));
            CompletableFuture<WalAppendResult> second = wal.append(batch(2, 1, 1, 10));
            for (CompletableFuture<WalAppendResult> rejected : List.of(first, second)) {
                assertThatThrownBy(() -> rejected.get(5, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(StreamException.class)
                        .extracting(e -> ((StreamException) e).code()).isEqualTo(StreamErrorCode.STORAGE_UNAVAILABLE);
            }
            // Once space is released the log serves again.
            wal.trim(acked.get(2).endPosition()).get(5, TimeUnit.SECONDS);
            wal.append(batch(3, 0, 1, 3_000)).get(5, TimeUnit.SECONDS);
        }
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(path, CAPACITY))) {
            WalRecoveryResult recovery = wal.start();
            List<WalEntry> entries = wal.read(recovery.startPosition(), recovery.endPosition(), Long.MAX_VALUE).entries();
            assertThat(entries).extracting(e -> e.batch().streamId()).containsExactly(1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 3L);
            assertThat(entries.get(0).position()).isEqualTo(acked.get(3).position());
        }
    }

    /** Fills the 16 pages of the ring with page-sized records, one per group. */
    private static List<WalAppendResult> fill(WriteAheadLog wal) throws Exception {
        List<WalAppendResult> acked = new ArrayList<>();
        for (int i = 0; i < CAPACITY / WalRecordFormat.PAGE_SIZE; i++) {
            acked.add(wal.append(batch(1, i, 1, 3_000)).get(5, TimeUnit.SECONDS));
        }
        return acked;
    }
}
