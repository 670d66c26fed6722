package dev.stratus.storage.read;

import dev.stratus.storage.format.DataBlockDecoder;
import dev.stratus.storage.format.DataBlockIndexEntry;
import dev.stratus.storage.format.ObjectIndex;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.objects.ObjectStorage;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gets data blocks of one object, from the {@link BlockCache} when it has them, otherwise from
 * object storage: blocks that lie next to each other in the object are fetched with one ranged
 * GET (this is what makes read-ahead cheap: a window of eight blocks costs one request, not
 * eight), then checked, decoded, copied into a buffer of their own (so that evicting one block
 * frees its memory) and cached.
 *
 * <p>Threading: called on catch-up read threads; blocks the calling thread on object storage.
 * Stateless apart from the shared cache. Two threads missing the same block both read it (the
 * second copy replaces the first in the cache).
 */
public final class BlockLoader {

    private final ObjectStorage storage;
    private final BlockCache cache;

    public BlockLoader(ObjectStorage storage, BlockCache cache) {
        this.storage = storage;
        this.cache = cache;
    }

    /**
     * The blocks {@code blockIndexes} (ascending positions in {@code index}) of one object.
     *
     * @return every requested block by index
     */
    public Map<Integer, CachedBlock> load(ObjectIndex index, List<Integer> blockIndexes) {
        Map<Integer, CachedBlock> result = new HashMap<>();
        int runStart = -1;
        for (int i = 0; i < blockIndexes.size(); i++) {
            int blockIndex = blockIndexes.get(i);
            CachedBlock cached = cache.get(new BlockKey(index.objectId(), blockIndex));
            if (cached != null) {
                if (runStart >= 0) {
                    fetchRun(index, blockIndexes.subList(runStart, i), result);
                    runStart = -1;
                }
                result.put(blockIndex, cached);
                continue;
            }
            if (runStart >= 0 && !adjacent(index, blockIndexes.get(i - 1), blockIndex)) {
                fetchRun(index, blockIndexes.subList(runStart, i), result);
                runStart = -1;
            }
            if (runStart < 0) {
                runStart = i;
            }
        }
        if (runStart >= 0) {
            fetchRun(index, blockIndexes.subList(runStart, blockIndexes.size()), result);
        }
        return result;
    }

    private static boolean adjacent(ObjectIndex index, int previous, int next) {
        DataBlockIndexEntry a = index.entries().get(previous);
        DataBlockIndexEntry b = index.entries().get(next);
        return a.blockPosition() + a.blockSize() == b.blockPosition();
    }

    /** One GET for blocks that lie back to back in the object. */
    private void fetchRun(ObjectIndex index, List<Integer> run, Map<Integer, CachedBlock> result) {
        DataBlockIndexEntry first = index.entries().get(run.get(0));
        DataBlockIndexEntry last = index.entries().get(run.get(run.size() - 1));
        long from = first.blockPosition();
        long to = last.blockPosition() + last.blockSize();
        ByteBuffer bytes = ReadFailures.await(storage.rangeRead(ObjectKeys.objectKey(index.objectId()), from, to),
                "reading blocks " + run.get(0) + ".." + run.get(run.size() - 1) + " of object " + index.objectId());
        for (int blockIndex : run) {
            DataBlockIndexEntry entry = index.entries().get(blockIndex);
            int at = bytes.position() + (int) (entry.blockPosition() - from);
            int end = Math.min(bytes.limit(), at + entry.blockSize());
            ByteBuffer own = ByteBuffer.allocate(Math.max(0, end - at));
            own.put(bytes.duplicate().position(Math.min(at, end)).limit(end)).flip();
            CachedBlock block = new CachedBlock(new BlockKey(index.objectId(), blockIndex),
                    DataBlockDecoder.decode(index.objectId(), entry, own), own.capacity());
            cache.put(block);
            result.put(blockIndex, block);
        }
    }
}
