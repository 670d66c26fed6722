package dev.stratus.storage.engine;

import dev.stratus.storage.cache.WalSegment;
import dev.stratus.storage.format.ObjectReader;
import dev.stratus.storage.metadata.StreamMetadataView;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.read.BlockCache;
import dev.stratus.storage.read.BlockLoader;
import dev.stratus.storage.read.CatchUpReadPool;
import dev.stratus.storage.read.CatchUpReader;
import dev.stratus.storage.read.ReadAheadPolicy;
import dev.stratus.storage.read.WalSegmentReader;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.wal.WriteAheadLog;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's door to reads that memory cannot answer: catch-up reads from objects (through the
 * block cache with read-ahead, {@link CatchUpReader}) and read-backs of log-cache data evicted to
 * the WAL ({@link WalSegmentReader}). Both run on the {@link CatchUpReadPool}, never on the
 * caller's thread nor on object storage threads, so a cold read never holds up appends or tail
 * reads.
 *
 * <p>Threading: methods may be called from any thread; futures complete on catch-up read
 * threads. Owns the pool (closed by {@link #close()}).
 */
final class ObjectFetcher implements AutoCloseable {

    /** Sequential readers whose read-ahead window is remembered. */
    private static final int READERS_REMEMBERED = 4096;

    private final CatchUpReadPool pool;
    private final CatchUpReader objects;
    private final WalSegmentReader walSegments;
    private final BlockCache blockCache;

    /** The read side of an engine, as {@code config} sizes it. */
    static ObjectFetcher create(StorageConfig config, StreamMetadataView metadata, ObjectStorage objectStorage,
                                ObjectReader indexReader, WriteAheadLog wal) {
        BlockCache blockCache = new BlockCache(config.blockCacheBytes());
        CatchUpReader objects = new CatchUpReader(metadata, indexReader, new BlockLoader(objectStorage, blockCache),
                new ReadAheadPolicy(config.readAheadMaxBytes(), READERS_REMEMBERED, config.blockCacheBytes() / 2,
                        System::nanoTime));
        return new ObjectFetcher(new CatchUpReadPool(config.catchUpReadThreads(), config.catchUpReadQueue()), objects,
                new WalSegmentReader(wal), blockCache);
    }

    ObjectFetcher(CatchUpReadPool pool, CatchUpReader objects, WalSegmentReader walSegments, BlockCache blockCache) {
        this.pool = pool;
        this.objects = objects;
        this.walSegments = walSegments;
        this.blockCache = blockCache;
    }

    /** Batches of {@code streamId} overlapping {@code [start, end)} from objects, at least one if any exists, about {@code maxBytes}. */
    CompletableFuture<List<StreamRecordBatch>> fetch(long streamId, long start, long end, int maxBytes) {
        return pool.submit(() -> objects.read(streamId, start, end, maxBytes));
    }

    /**
     * Batches of an evicted log-cache segment overlapping {@code [start, end)}, read back from the
     * WAL; if the WAL was trimmed meanwhile (the data was uploaded), from objects instead.
     */
    CompletableFuture<List<StreamRecordBatch>> fetchEvicted(WalSegment segment, long start, long end, int maxBytes) {
        return pool.submit(() -> {
            try {
                return walSegments.read(segment, start, end, maxBytes);
            } catch (WalSegmentReader.TrimmedException e) {
                return objects.read(segment.streamId(), start, end, maxBytes);
            }
        });
    }

    BlockCache blockCache() {
        return blockCache;
    }

    CatchUpReadPool pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
