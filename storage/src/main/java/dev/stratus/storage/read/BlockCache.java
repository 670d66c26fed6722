package dev.stratus.storage.read;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded data blocks of objects, least recently used first out, bounded by the bytes of the
 * blocks it holds. Catch-up reads look here before asking object storage for a block; read-ahead
 * puts blocks here before anyone asked for them.
 *
 * <p>Threading: shared by the catch-up read threads; one lock guards everything (the work under
 * it is a map lookup). Blocks are immutable and may be used after they were evicted.
 */
public final class BlockCache {

    private final long maxBytes;
    private final LinkedHashMap<BlockKey, CachedBlock> blocks = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;
    private long evictions;

    /** @param maxBytes bound of the bytes held; 0 disables caching (every block is read from object storage) */
    public BlockCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("negative block cache size " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The block, or null when it is not cached; counts a hit or a miss. */
    public synchronized CachedBlock get(BlockKey key) {
        CachedBlock block = blocks.get(key);
        if (block == null) {
            misses++;
        } else {
            hits++;
        }
        return block;
    }

    /** Whether the block is cached, without touching its recency or the counters. */
    public synchronized boolean contains(BlockKey key) {
        return blocks.containsKey(key);
    }

    /** Adds (or refreshes) a block, then evicts the least recently used ones until within the bound. */
    public synchronized void put(CachedBlock block) {
        if (block.sizeBytes() > maxBytes) {
            return;
        }
        CachedBlock previous = blocks.put(block.key(), block);
        if (previous != null) {
            bytes -= previous.sizeBytes();
        }
        bytes += block.sizeBytes();
        Iterator<Map.Entry<BlockKey, CachedBlock>> eldest = blocks.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            bytes -= eldest.next().getValue().sizeBytes();
            eldest.remove();
            evictions++;
        }
    }

    public synchronized long sizeInBytes() {
        return bytes;
    }

    public synchronized int blockCount() {
        return blocks.size();
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    public synchronized long evictions() {
        return evictions;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
