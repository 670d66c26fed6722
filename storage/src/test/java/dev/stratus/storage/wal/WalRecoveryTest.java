package dev.stratus.storage.wal;

import dev.stratus.storage.stream.StreamRecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.stratus.storage.wal.WalTestSupport.batch;
import static dev.stratus.storage.wal.WalTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;

/** Recovery stops at the first torn or corrupt record, keeps everything before it, and the log stays usable. */
class WalRecoveryTest {

    private static final long CAPACITY = 256 * 1024;

    @TempDir
    Path dir;

    /** Writes 10 records in one group so that they are contiguous, the last one unaligned inside a page. */
    private List<WalAppendResult> writeTen(Path path, List<StreamRecordBatch> written) throws Exception {
        return writeTen(path, written, 700);
    }

    private List<WalAppendResult> writeTen(Path path, List<StreamRecordBatch> written, int payloadSize) throws Exception {
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(path, CAPACITY))) {
            wal.start();
            List<CompletableFuture<WalAppendResult>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                StreamRecordBatch batch = batch(7, i * 5L, 5, payloadSize);
                written.add(batch);
                futures.add(wal.append(batch));
            }
            List<WalAppendResult> results = new ArrayList<>();
            for (CompletableFuture<WalAppendResult> future : futures) {
                results.add(future.get(5, TimeUnit.SECONDS));
            }
            return results;
        }
    }

    @Test
    void tornLastRecordIsDetectedByCrcAndTruncatedKeepingEveryEarlierRecord() throws Exception {
        Path path = dir.resolve("wal");
        List<StreamRecordBatch> written = new ArrayList<>();
        List<WalAppendResult> results = writeTen(path, written);
        WalAppendResult last = results.get(9);
        // The last record's second half never reached the disk: zeroes where its payload ends.
        WalTestSupport.overwrite(path, CAPACITY, last.position() + WalRecordFormat.HEADER_SIZE + 350, new byte[350]);

        assertRecoveredNineThenUsable(path, written, last, "CRC");
    }

    @Test
    void corruptLastRecordIsDetectedByCrcAndTruncatedKeepingEveryEarlierRecord() throws Exception {
        Path path = dir.resolve("wal");
        List<StreamRecordBatch> written = new ArrayList<>();
        List<WalAppendResult> results = writeTen(path, written);
        WalAppendResult last = results.get(9);
        long victim = last.position() + WalRecordFormat.HEADER_SIZE + 123;
        byte original = WalTestSupport.readByte(path, CAPACITY, victim);
        WalTestSupport.overwrite(path, CAPACITY, victim, new byte[] {(byte) (original ^ 0x10)});

        assertRecoveredNineThenUsable(path, written, last, "CRC");
    }

    private void assertRecoveredNineThenUsable(Path path, List<StreamRecordBatch> written, WalAppendResult last,
                                               String reason) throws Exception {
        List<StreamRecordBatch> expected = new ArrayList<>(written.subList(0, 9));
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(path, CAPACITY))) {
            WalRecoveryResult recovery = wal.start();
            assertThat(recovery.records()).isEqualTo(9);
            assertThat(recovery.endPosition()).isEqualTo(last.position());
            assertThat(recovery.stopReason()).contains(reason);
            assertThat(batchesOf(wal, recovery.startPosition(), recovery.endPosition())).containsExactlyElementsOf(expected);

            // New appends land where recovery stopped, in the middle of a page, and are durable.
            for (int i = 0; i < 3; i++) {
                StreamRecordBatch batch = batch(8, i, 1, 2_000);
                expected.add(batch);
                wal.append(batch).get(5, TimeUnit.SECONDS);
            }
        }
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(path, CAPACITY))) {
            WalRecoveryResult second = wal.start();
            assertThat(second.records()).isEqualTo(12);
            assertThat(batchesOf(wal, second.startPosition(), second.endPosition())).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void leftoversOfARecordTornBeforeARestartAreNeverReplayedAfterLaterAppends() throws Exception {
        Path path = dir.resolve("wal");
        List<StreamRecordBatch> written = new ArrayList<>();
        // Records of exactly one page: each starts on a page boundary, so a new record can end exactly where an old one starts.
        List<WalAppendResult> results = writeTen(path, written, WalRecordFormat.PAGE_SIZE - WalRecordFormat.HEADER_SIZE);
        // Tear record 5: records 6..9 stay on disk, valid-looking, with the right positions but the earlier generation.
        WalTestSupport.overwrite(path, CAPACITY, results.get(5).position() + WalRecordFormat.HEADER_SIZE, new byte[10]);
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(path, CAPACITY))) {
            assertThat(wal.start().records()).isEqualTo(5);
            // Exactly the size of the torn record: the next valid-looking old record would sit right after it.
            wal.append(batch(9, 0, 1, written.get(5).sizeInBytes())).get(5, TimeUnit.SECONDS);
        }
        try (FileWriteAheadLog wal = new FileWriteAheadLog(config(path, CAPACITY))) {
            WalRecoveryResult recovery = wal.start();
            assertThat(recovery.stopReason()).contains("generation");
            assertThat(recovery.endPosition()).isEqualTo(results.get(6).position());
            List<StreamRecordBatch> batches = batchesOf(wal, recovery.startPosition(), recovery.endPosition());
            assertThat(batches).hasSize(6);
            assertThat(batches.get(5).streamId()).isEqualTo(9);
        }
    }

    private static List<StreamRecordBatch> batchesOf(WriteAheadLog wal, long from, long to) {
        return wal.read(from, to, Long.MAX_VALUE).entries().stream().map(WalEntry::batch).toList();
    }
}
