package dev.stratus.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void bucketsAreLogScaleFrom64MicrosUpTo34Seconds() {
        assertThat(LatencyHistogram.bucketOf(0)).isZero();
        assertThat(LatencyHistogram.bucketOf(63_999)).isZero();
        assertThat(LatencyHistogram.bucketOf(64_000)).isEqualTo(1);
        assertThat(LatencyHistogram.bucketOf(127_999)).isEqualTo(1);
        assertThat(LatencyHistogram.bucketOf(128_000)).isEqualTo(2);
        assertThat(LatencyHistogram.bucketOf(1_000_000_000L)).isEqualTo(14);
        assertThat(LatencyHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
        for (int bucket = 0; bucket < LatencyHistogram.BUCKETS - 1; bucket++) {
            long upper = LatencyHistogram.upperBoundNanos(bucket);
            assertThat(LatencyHistogram.bucketOf(upper - 1_000)).isEqualTo(bucket);
            assertThat(LatencyHistogram.bucketOf(upper)).isEqualTo(bucket + 1);
        }
    }

    @Test
    void quantilesAreWithinAFactorOfTwo() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertThat(histogram.quantileUpperBoundNanos(0.5)).isZero();
        for (int i = 0; i < 90; i++) {
            histogram.record(1_000_000);
        }
        for (int i = 0; i < 10; i++) {
            histogram.record(100_000_000);
        }
        assertThat(histogram.quantileUpperBoundNanos(0.5)).isBetween(1_000_000L, 2_000_000L);
        assertThat(histogram.quantileUpperBoundNanos(0.99)).isBetween(100_000_000L, 200_000_000L);
        assertThat(histogram.counts()).hasSize(LatencyHistogram.BUCKETS);
    }
}
