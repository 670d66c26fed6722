package dev.stratus.broker.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The cache's bound and KIP-227 eviction rules, on a clock the test moves. */
class FetchSessionCacheTest {

    private static final long EVICTION_MS = 1_000;

    private long nowMs = 1_000_000;
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(nowMs);
        }
    };
    private final FetchSessionCache cache =
            new FetchSessionCache(new FetchSessionConfig(2, EVICTION_MS), clock, new SplittableRandom(7));

    @Test
    void aFullCacheCreatesNoSessionWhileEveryoneIsRecentlyUsed() {
        assertThat(cache.create(true, partitions(1))).isNotNull();
        assertThat(cache.create(true, partitions(1))).isNotNull();
        assertThat(cache.create(true, partitions(5))).isNull();
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.evicted()).isZero();
    }

    @Test
    void anIdleSessionMakesRoomForANewOne() {
        FetchSession idle = cache.create(true, partitions(3));
        nowMs += EVICTION_MS / 2;
        FetchSession busy = cache.create(true, partitions(3));
        nowMs += EVICTION_MS / 2;
        assertThat(cache.get(busy.id())).isSameAs(busy);
        FetchSession fresh = cache.create(true, partitions(1));
        assertThat(fresh).isNotNull();
        assertThat(cache.get(idle.id())).isNull();
        assertThat(cache.get(busy.id())).isSameAs(busy);
        assertThat(cache.evicted()).isEqualTo(1);
    }

    @Test
    void anOldSmallSessionGivesWayToALargerOneButNotToASmallerOne() {
        FetchSession small = cache.create(true, partitions(2));
        FetchSession large = cache.create(true, partitions(10));
        nowMs += EVICTION_MS;
        touch(small);
        touch(large);
        assertThat(cache.create(true, partitions(1))).isNull();
        FetchSession larger = cache.create(true, partitions(5));
        assertThat(larger).isNotNull();
        assertThat(cache.get(small.id())).isNull();
        assertThat(cache.get(large.id())).isSameAs(large);
    }

    @Test
    void removingASessionFreesItsSlotAndZeroSlotsMeansNoSessions() {
        FetchSession first = cache.create(false, partitions(1));
        cache.create(false, partitions(1));
        assertThat(cache.remove(first.id())).isTrue();
        assertThat(cache.create(false, partitions(1))).isNotNull();
        assertThat(cache.created()).isEqualTo(3);

        FetchSessionCache off = new FetchSessionCache(new FetchSessionConfig(0, EVICTION_MS), clock, new SplittableRandom(1));
        assertThat(off.create(true, partitions(1))).isNull();
    }

    private void touch(FetchSession session) {
        List<PartitionFetch> reads = new ArrayList<>();
        int epoch = 1;
        assertThat(session.beginIncremental(epoch, true, List.of(), List.of(), nowMs, reads).code()).isZero();
    }

    private static List<PartitionFetch> partitions(int count) {
        List<PartitionFetch> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new PartitionFetch(PartitionKey.of(false, null, "t", i), 0, 1024, -1));
        }
        return list;
    }
}
