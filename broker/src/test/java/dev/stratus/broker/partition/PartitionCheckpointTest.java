package dev.stratus.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stratus.broker.config.LogConfig;
import dev.stratus.broker.testing.InMemoryStreamStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A partition's checkpoint: the next leader restores producer state, leader epochs and the
 * batch index from it and reads only the data after it, so opening does not depend on how much
 * the partition holds; a checkpoint that cannot be used is ignored and the state rebuilt from
 * the data.
 */
class PartitionCheckpointTest {

    private static final long DATA = 100;
    private static final long CHECKPOINTS = 101;
    private static final short PRODUCE_VERSION = 9;

    private final InMemoryStreamStore store = new InMemoryStreamStore();
    private final ExecutorService agent = Executors.newSingleThreadExecutor();
    private final PartitionKey key = new PartitionKey(UUID.randomUUID(), 0);

    @AfterEach
    void stop() {
        agent.shutdownNow();
        store.close();
    }

    private PartitionLeader open(int epoch, long checkpointStream, long intervalBytes) {
        PartitionLeader leader = new PartitionLeader(key, "orders", DATA, epoch, 1 << 20, LogConfig.DEFAULT, Clock.systemUTC(),
                agent, store, checkpointStream, intervalBytes);
        leader.open();
        await().atMost(Duration.ofSeconds(10)).until(() -> leader.state() == PartitionLeader.State.ACTIVE);
        return leader;
    }

    private static MemoryRecords batch(long producerId, int sequence, int records) {
        SimpleRecord[] values = new SimpleRecord[records];
        for (int i = 0; i < records; i++) {
            values[i] = new SimpleRecord(("value-" + sequence + "-" + i).getBytes());
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short) 0, sequence, values);
    }

    private static AppendResult append(PartitionLeader leader, MemoryRecords records) throws Exception {
        AppendResult result = leader.append(records, PRODUCE_VERSION).get(10, TimeUnit.SECONDS);
        assertThat(result.error()).as(String.valueOf(result.errorMessage())).isEqualTo(Errors.NONE);
        return result;
    }

    @Test
    void aPartitionReopenedAfterItClosedReadsItsCheckpointAndNoneOfItsData() throws Exception {
        PartitionLeader first = open(0, CHECKPOINTS, 1L << 30);
        for (int i = 0; i < 200; i++) {
            append(first, batch(7, i * 10, 10));
        }
        long size = first.sizeBytes().get();
        first.close(Errors.NOT_LEADER_OR_FOLLOWER, false).get(10, TimeUnit.SECONDS);
        long fetchedBefore = store.fetchedBytes(DATA);

        PartitionLeader next = open(1, CHECKPOINTS, 1L << 30);

        assertThat(store.fetchedBytes(DATA)).isEqualTo(fetchedBefore);
        assertThat(next.sizeBytes().get()).isEqualTo(size);
        assertThat(next.producers().get()).singleElement().satisfies(p -> {
            assertThat(p.producerId()).isEqualTo(7);
            assertThat(p.lastSequence()).isEqualTo(1999);
        });
        assertThat(next.endOffsetForEpoch(0).get()).isEqualTo(new LeaderEpochHistory.EndOffset(0, 2000));
        // The producer's retry of its last batch is a duplicate with its original offset; its next batch follows on.
        assertThat(append(next, batch(7, 1990, 10)).baseOffset()).isEqualTo(1990);
        assertThat(append(next, batch(7, 2000, 10)).baseOffset()).isEqualTo(2000);
    }

    @Test
    void aProducerSilentForLongerThanTheTailScanIsStillKnownAfterAReopen() throws Exception {
        PartitionLeader first = open(0, CHECKPOINTS, 1L << 30);
        AppendResult quiet = append(first, batch(1, 0, 1));
        for (int i = 0; i < ProducerStateLoader.TAIL_OFFSETS / 100 + 1; i++) {
            append(first, batch(2, i * 100, 100));
        }
        first.close(Errors.NOT_LEADER_OR_FOLLOWER, false).get(10, TimeUnit.SECONDS);

        PartitionLeader next = open(1, CHECKPOINTS, 1L << 30);

        // A retry of the quiet producer's batch is recognised, not written a second time.
        assertThat(append(next, batch(1, 0, 1)).baseOffset()).isEqualTo(quiet.baseOffset());
    }

    @Test
    void aLeaderThatStopsWithoutClosingLeavesACheckpointEveryIntervalAndTheNextReadsOnlyWhatFollowsIt() throws Exception {
        long interval = 8 << 10;
        PartitionLeader first = open(0, CHECKPOINTS, interval);
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            offsets.add(append(first, batch(7, i * 10, 10)).baseOffset());
        }
        long total = first.sizeBytes().get();
        // No close: the next leader opens with a higher epoch, as after a crash.
        long fetchedBefore = store.fetchedBytes(DATA);

        PartitionLeader next = open(1, CHECKPOINTS, interval);

        // At most the data appended since the last checkpoint: an interval and the batches in flight when it was taken.
        long read = store.fetchedBytes(DATA) - fetchedBefore;
        assertThat(total).isGreaterThan(10 * interval);
        assertThat(read).isLessThan(2 * interval);
        assertThat(next.sizeBytes().get()).isEqualTo(total);
        assertThat(next.producers().get()).singleElement().satisfies(p -> assertThat(p.lastSequence()).isEqualTo(3999));
        assertThat(append(next, batch(7, 3990, 10)).baseOffset()).isEqualTo(offsets.get(399));
    }

    @Test
    void aCorruptCheckpointIsIgnoredAndTheStateRebuiltFromTheData() throws Exception {
        PartitionLeader first = open(0, CHECKPOINTS, 1L << 30);
        for (int i = 0; i < 20; i++) {
            append(first, batch(7, i * 10, 10));
        }
        long size = first.sizeBytes().get();
        first.close(Errors.NOT_LEADER_OR_FOLLOWER, false).get(10, TimeUnit.SECONDS);
        store.plant(CHECKPOINTS, ByteBuffer.wrap("not a checkpoint at all, just bytes".getBytes()));

        PartitionLeader next = open(1, CHECKPOINTS, 1L << 30);

        // The retry of the last batch is still a duplicate (producer state from the tail), and the index is rebuilt.
        assertThat(append(next, batch(7, 190, 10)).baseOffset()).isEqualTo(190);
        await().atMost(Duration.ofSeconds(10)).until(() -> next.sizeBytes().get() == size);
    }

    @Test
    void aPartitionWithoutACheckpointStreamRebuildsItsStateFromTheData() throws Exception {
        PartitionLeader first = open(0, -1, 1L << 30);
        for (int i = 0; i < 20; i++) {
            append(first, batch(7, i * 10, 10));
        }
        first.close(Errors.NOT_LEADER_OR_FOLLOWER, false).get(10, TimeUnit.SECONDS);
        long fetchedBefore = store.fetchedBytes(DATA);

        PartitionLeader next = open(1, -1, 1L << 30);

        assertThat(append(next, batch(7, 190, 10)).baseOffset()).isEqualTo(190);
        assertThat(store.fetchedBytes(DATA)).isGreaterThan(fetchedBefore);
    }

    @Test
    void theCheckpointStreamKeepsOnlyTheNewestCheckpoint() throws Exception {
        PartitionLeader first = open(0, CHECKPOINTS, 64 << 10);
        for (int i = 0; i < 400; i++) {
            append(first, batch(7, i * 10, 10));
        }
        first.close(Errors.NOT_LEADER_OR_FOLLOWER, false).get(10, TimeUnit.SECONDS);

        PartitionLeader next = open(1, CHECKPOINTS, 64 << 10);

        // Earlier checkpoints were trimmed away: reading below the newest is out of range.
        assertThat(store.batches(CHECKPOINTS).size()).isGreaterThan(1);
        assertThat(next.state()).isEqualTo(PartitionLeader.State.ACTIVE);
        var stream = store.openStream(CHECKPOINTS, 1).get();
        assertThat(stream.startOffset()).isEqualTo(stream.nextOffset() - 1);
    }

    @Test
    void theFormatRoundTripsAndRejectsATornOrAlteredCheckpoint() {
        PartitionCheckpoint checkpoint = new PartitionCheckpoint(500, 1_234, List.of(new LeaderEpochHistory.Entry(0, 0),
                new LeaderEpochHistory.Entry(3, 250)),
                List.of(new PartitionCheckpoint.Producer(9, (short) 2, 77, List.of(new PartitionCheckpoint.Batch(0, 4, 490, 494)))),
                List.of(new PartitionCheckpoint.IndexEntry(0, 250, 50, 4096), new PartitionCheckpoint.IndexEntry(250, 500, 60, 4096)));
        ByteBuffer encoded = PartitionCheckpointFormat.encode(checkpoint);

        assertThat(PartitionCheckpointFormat.decode(encoded.duplicate())).isEqualTo(checkpoint);
        ByteBuffer torn = encoded.duplicate().limit(encoded.limit() - 3);
        assertThatThrownBy(() -> PartitionCheckpointFormat.decode(torn)).isInstanceOf(IllegalArgumentException.class);
        ByteBuffer altered = ByteBuffer.allocate(encoded.remaining()).put(encoded.duplicate()).flip();
        altered.put(PartitionCheckpointFormat.END_OFFSET_OFFSET, (byte) 1);
        assertThatThrownBy(() -> PartitionCheckpointFormat.decode(altered)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CRC");
    }

    @Test
    void producersThatDoNotFitAreLeftOutLeastRecentlyHeardFromFirst() {
        List<PartitionCheckpoint.Producer> producers = new ArrayList<>();
        int count = PartitionCheckpointFormat.MAX_BYTES / (PartitionCheckpointFormat.PRODUCER_BYTES + 5
                * PartitionCheckpointFormat.PRODUCER_BATCH_BYTES) + 100;
        for (int i = 0; i < count; i++) {
            List<PartitionCheckpoint.Batch> batches = new ArrayList<>();
            for (int b = 0; b < 5; b++) {
                batches.add(new PartitionCheckpoint.Batch(b, b, b, b));
            }
            producers.add(new PartitionCheckpoint.Producer(i, (short) 0, i, batches));
        }

        ByteBuffer encoded = PartitionCheckpointFormat.encode(new PartitionCheckpoint(10, 0, List.of(), producers, List.of()));

        assertThat(encoded.remaining()).isLessThanOrEqualTo(PartitionCheckpointFormat.MAX_BYTES);
        List<PartitionCheckpoint.Producer> kept = PartitionCheckpointFormat.decode(encoded).producers();
        assertThat(kept).hasSizeLessThan(count).extracting(PartitionCheckpoint.Producer::producerId).contains((long) count - 1)
                .doesNotContain(0L);
    }
}
