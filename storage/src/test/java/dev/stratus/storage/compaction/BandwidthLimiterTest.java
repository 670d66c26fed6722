package dev.stratus.storage.compaction;

import dev.stratus.storage.testing.ManualClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BandwidthLimiterTest {

    private final ManualClock clock = new ManualClock(0);
    private final BandwidthLimiter limiter = new BandwidthLimiter(1_000, clock, clock::advance);

    @Test
    void oneSecondOfBandwidthPassesAtOnceThenTheRateHolds() throws InterruptedException {
        limiter.acquire(1_000);
        assertThat(clock.millis()).isZero();
        for (int i = 0; i < 10; i++) {
            limiter.acquire(500);
        }
        // 6,000 bytes at 1,000 bytes/s after a full bucket of 1,000: about five seconds of waiting.
        assertThat(clock.millis()).isBetween(4_500L, 5_500L);
        assertThat(limiter.waitedMs()).isEqualTo(clock.millis());
    }

    @Test
    void aRequestLargerThanTheBucketGoesThroughAndTheNextOnePaysForIt() throws InterruptedException {
        limiter.acquire(10_000);
        assertThat(clock.millis()).isZero();
        limiter.acquire(1);
        assertThat(clock.millis()).isBetween(9_000L, 9_100L);
    }

    @Test
    void idleTimeDoesNotBuildUpMoreThanOneSecondOfBurst() throws InterruptedException {
        clock.advance(60_000);
        limiter.acquire(1_000);
        limiter.acquire(1_000);
        long before = clock.millis();
        limiter.acquire(1);
        assertThat(clock.millis() - before).isGreaterThanOrEqualTo(900);
    }
}
