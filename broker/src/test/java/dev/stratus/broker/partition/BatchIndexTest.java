package dev.stratus.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BatchIndexTest {

    @Test
    void retentionDeletesExpiredOrExcessBatchesOldestFirstBelowTheHighWatermark() {
        BatchIndex index = new BatchIndex();
        index.add(0, 10, 1_000, 100);
        index.add(10, 20, 2_000, 100);
        index.add(20, 30, 9_000, 100);

        assertThat(index.retentionOffset(10_000, 7_500, -1, 30)).isEqualTo(20);
        assertThat(index.retentionOffset(10_000, -1, 150, 30)).isEqualTo(10);
        assertThat(index.retentionOffset(10_000, -1, 100, 30)).isEqualTo(20);
        assertThat(index.retentionOffset(10_000, -1, 0, 30)).isEqualTo(30);
        assertThat(index.retentionOffset(10_000, -1, 0, 15)).isEqualTo(10);
        assertThat(index.retentionOffset(10_000, 60_000, 1_000, 30)).isEqualTo(-1);
    }

    @Test
    void staysBoundedByMergingNeighboursConservatively() {
        BatchIndex index = new BatchIndex();
        for (int i = 0; i < 10 * BatchIndex.MAX_ENTRIES; i++) {
            index.add(i, i + 1, i, 10);
        }
        assertThat(index.entries()).isLessThanOrEqualTo(BatchIndex.MAX_ENTRIES);
        assertThat(index.totalBytes()).isEqualTo(100L * BatchIndex.MAX_ENTRIES);
        long offset = index.retentionOffset(Long.MAX_VALUE / 2, 0, -1, Long.MAX_VALUE);
        assertThat(offset).isEqualTo(10L * BatchIndex.MAX_ENTRIES);

        index.trimTo(5_000);
        assertThat(index.totalBytes()).isLessThan(100L * BatchIndex.MAX_ENTRIES).isGreaterThanOrEqualTo(10L * (10_240 - 5_000));
    }

    @Test
    void leaderEpochHistoryAnswersAsKafka() {
        LeaderEpochHistory history = new LeaderEpochHistory();
        history.assign(3, 50);
        history.prepend(java.util.List.of(new LeaderEpochHistory.Entry(0, 0), new LeaderEpochHistory.Entry(2, 20)));

        assertThat(history.endOffsetFor(3, 80)).isEqualTo(new LeaderEpochHistory.EndOffset(3, 80));
        assertThat(history.endOffsetFor(2, 80)).isEqualTo(new LeaderEpochHistory.EndOffset(2, 50));
        assertThat(history.endOffsetFor(1, 80)).isEqualTo(new LeaderEpochHistory.EndOffset(0, 20));
        assertThat(history.endOffsetFor(4, 80)).isEqualTo(LeaderEpochHistory.EndOffset.UNDEFINED);
    }
}
