package dev.stratus.storage.cache;

import dev.stratus.storage.stream.StreamRecordBatch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class LogCacheTest {

    private static StreamRecordBatch batch(long stream, long base) {
        return new StreamRecordBatch(stream, 0, base, 10, ByteBuffer.allocate(100));
    }

    /** Puts batch {@code i} of a stream as if it lay at WAL positions {@code [1000 i, 1000 i + 1000)}. */
    private static void put(LogCache cache, long stream, int i) {
        cache.put(batch(stream, i * 10L), i * 1000L, i * 1000L + 1000);
    }

    @Test
    void unUploadedBatchesBeyondTheBoundLeaveMemoryForOneWalSegment() {
        LogCache cache = new LogCache(500);
        for (int i = 0; i < 20; i++) {
            put(cache, 1, i);
            assertThat(cache.sizeInBytes()).isLessThanOrEqualTo(500);
        }
        assertThat(cache.startOffset(1)).isZero();
        assertThat(cache.walSegmentCount()).isEqualTo(1);

        CacheLookup evicted = cache.lookup(1, 25, 200, 10_000);
        assertThat(evicted.kind()).isEqualTo(CacheLookup.Kind.WAL);
        assertThat(evicted.segment().startOffset()).isZero();
        assertThat(evicted.segment().walStartPosition()).isZero();
        long residentFrom = evicted.segment().endOffset();
        assertThat(evicted.segment().walEndPosition()).isEqualTo(residentFrom * 100);

        CacheLookup resident = cache.lookup(1, residentFrom, 200, 10_000);
        assertThat(resident.kind()).isEqualTo(CacheLookup.Kind.RESIDENT);
        assertThat(resident.batches()).extracting(StreamRecordBatch::baseOffset).startsWith(residentFrom).endsWith(190L);
    }

    @Test
    void uploadedBatchesAreDroppedAndSegmentsGoOnceUploaded() {
        LogCache cache = new LogCache(500);
        for (int i = 0; i < 20; i++) {
            put(cache, 1, i);
        }
        cache.markUploaded(1, 200);
        assertThat(cache.walSegmentCount()).isZero();
        assertThat(cache.sizeInBytes()).isLessThanOrEqualTo(500);
        assertThat(cache.lookup(1, 0, 200, 10_000).kind()).isEqualTo(CacheLookup.Kind.MISS);

        put(cache, 1, 20);
        put(cache, 1, 21);
        assertThat(cache.walSegmentCount()).isZero();
        assertThat(cache.lookup(1, 215, 300, 10_000).batches()).extracting(StreamRecordBatch::baseOffset).containsExactly(210L);
    }

    @Test
    void segmentsAreMergedWhenTheyAloneWouldPassTheBound() {
        LogCache cache = new LogCache(4 * LogCache.SEGMENT_OVERHEAD_BYTES);
        ByteBuffer big = ByteBuffer.allocate(100 * 1024);
        for (int i = 0; i < 40; i++) {
            cache.put(new StreamRecordBatch(1, 0, i * 10L, 10, big), i * 200_000L, i * 200_000L + 200_000);
            assertThat(cache.sizeInBytes()).isLessThanOrEqualTo(4L * LogCache.SEGMENT_OVERHEAD_BYTES);
        }
        assertThat(cache.walSegmentCount()).isBetween(2L, 4L);
        CacheLookup first = cache.lookup(1, 0, 1000, 100);
        assertThat(first.segment().startOffset()).isZero();
        assertThat(first.segment().walStartPosition()).isZero();
        CacheLookup middle = cache.lookup(1, 255, 1000, 100);
        assertThat(middle.segment().startOffset()).isLessThanOrEqualTo(255);
        assertThat(middle.segment().endOffset()).isGreaterThan(255);
        assertThat(middle.segment().walStartPosition()).isEqualTo(middle.segment().startOffset() * 20_000);
    }

    @Test
    void tailReadsReturnWholeBatchesFromTheOneCoveringTheStartOffset() {
        LogCache cache = new LogCache(10_000);
        for (int i = 0; i < 5; i++) {
            put(cache, 1, i);
        }
        assertThat(cache.get(1, 15, 35, 10_000)).extracting(StreamRecordBatch::baseOffset).containsExactly(10L, 20L, 30L);
        assertThat(cache.get(1, 15, 50, 150)).extracting(StreamRecordBatch::baseOffset).containsExactly(10L);
        assertThat(cache.get(1, 15, 50, 1)).extracting(StreamRecordBatch::baseOffset).containsExactly(10L);
        cache.markUploaded(1, 50);
        assertThat(cache.get(2, 0, 10, 100)).isNull();
        assertThat(cache.lookup(2, 0, 10, 100).kind()).isEqualTo(CacheLookup.Kind.MISS);
    }

    @Test
    void aBatchThatDoesNotContinueTheCachedRunReplacesIt() {
        LogCache cache = new LogCache(10_000);
        put(cache, 1, 0);
        cache.put(batch(1, 100), 5000, 6000);
        assertThat(cache.startOffset(1)).isEqualTo(100);
        assertThat(cache.sizeInBytes()).isEqualTo(100);
        assertThat(cache.get(1, 0, 200, 1000)).isNull();
    }
}
