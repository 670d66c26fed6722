package dev.stratus.storage.cache;

import dev.stratus.storage.stream.StreamRecordBatch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class LogCacheTest {

    private static StreamRecordBatch batch(long stream, long base) {
        return new StreamRecordBatch(stream, 0, base, 10, ByteBuffer.allocate(100));
    }

    @Test
    void batchesAreEvictedOnlyOnceUploadedEvenWhenOverTheBound() {
        LogCache cache = new LogCache(250);
        for (int i = 0; i < 5; i++) {
            cache.put(batch(1, i * 10L));
        }
        assertThat(cache.sizeInBytes()).isEqualTo(500);
        assertThat(cache.startOffset(1)).isZero();

        cache.markUploaded(1, 30);
        assertThat(cache.startOffset(1)).isEqualTo(30);
        assertThat(cache.sizeInBytes()).isEqualTo(200);
    }

    @Test
    void tailReadsReturnWholeBatchesFromTheOneCoveringTheStartOffset() {
        LogCache cache = new LogCache(10_000);
        for (int i = 0; i < 5; i++) {
            cache.put(batch(1, i * 10L));
        }
        assertThat(cache.get(1, 15, 35, 10_000)).extracting(StreamRecordBatch::baseOffset).containsExactly(10L, 20L, 30L);
        assertThat(cache.get(1, 15, 50, 150)).extracting(StreamRecordBatch::baseOffset).containsExactly(10L);
        assertThat(cache.get(1, 15, 50, 1)).extracting(StreamRecordBatch::baseOffset).containsExactly(10L);
        cache.markUploaded(1, 50);
        assertThat(cache.get(2, 0, 10, 100)).isNull();
    }

    @Test
    void aBatchThatDoesNotContinueTheCachedRunReplacesIt() {
        LogCache cache = new LogCache(10_000);
        cache.put(batch(1, 0));
        cache.put(batch(1, 100));
        assertThat(cache.startOffset(1)).isEqualTo(100);
        assertThat(cache.sizeInBytes()).isEqualTo(100);
        assertThat(cache.get(1, 0, 200, 1000)).isNull();
    }
}
