package dev.stratus.storage.read;

import dev.stratus.storage.stream.StreamRecordBatch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BlockCacheTest {

    private static CachedBlock block(long objectId, int index, int size) {
        return new CachedBlock(new BlockKey(objectId, index),
                List.of(new StreamRecordBatch(1, 0, index, 1, ByteBuffer.allocate(size))), size);
    }

    @Test
    void aCachedBlockIsAHitAndAnUnknownOneAMiss() {
        BlockCache cache = new BlockCache(1000);
        CachedBlock block = block(7, 0, 100);
        assertThat(cache.get(block.key())).isNull();
        cache.put(block);
        assertThat(cache.get(new BlockKey(7, 0))).isSameAs(block);
        assertThat(cache.get(new BlockKey(7, 1))).isNull();
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(2);
        assertThat(cache.sizeInBytes()).isEqualTo(100);
    }

    @Test
    void theLeastRecentlyUsedBlocksLeaveOnceTheBytesPassTheBound() {
        BlockCache cache = new BlockCache(300);
        cache.put(block(1, 0, 100));
        cache.put(block(1, 1, 100));
        cache.put(block(1, 2, 100));
        cache.get(new BlockKey(1, 0)); // block 0 is now the most recently used
        cache.put(block(1, 3, 150));

        assertThat(cache.sizeInBytes()).isLessThanOrEqualTo(300);
        assertThat(cache.contains(new BlockKey(1, 0))).isTrue();
        assertThat(cache.contains(new BlockKey(1, 1))).isFalse();
        assertThat(cache.contains(new BlockKey(1, 2))).isFalse();
        assertThat(cache.contains(new BlockKey(1, 3))).isTrue();
        assertThat(cache.evictions()).isEqualTo(2);
    }

    @Test
    void aBlockLargerThanTheWholeCacheIsNotKeptAndEvictsNothing() {
        BlockCache cache = new BlockCache(300);
        cache.put(block(1, 0, 100));
        cache.put(block(1, 1, 301));
        assertThat(cache.contains(new BlockKey(1, 0))).isTrue();
        assertThat(cache.contains(new BlockKey(1, 1))).isFalse();
        assertThat(new BlockCache(0).sizeInBytes()).isZero();
    }
}
