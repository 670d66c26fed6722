package dev.stratus.storage.read;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Decides how far past what a catch-up read needs the read should fetch, per reader. A reader
 * is recognised by where it will read next: a read that starts exactly where an earlier read of
 * the same stream ended continues that reader (a sequential read), which doubles its window up
 * to {@code maxWindowBytes}; any other read is a new reader (a seek or a random read) and gets
 * no read-ahead. A reader that jumps around therefore never earns a window, and one that stops
 * reading is forgotten once {@code maxReaders} newer readers were seen.
 *
 * <p>Windows are fetched into the block cache ahead of use, so all the windows of the readers
 * active at once must fit in it together, or each reader's prefetched blocks evict another's
 * before they are read and object storage is read several times over (a 16-partition backlog
 * once fetched 3 to 4 bytes per byte returned). Readers active in the last
 * {@link #ACTIVE_NANOS} therefore share {@code sharedBytes} (half the block cache) between them.
 *
 * <p>Threading: shared by the catch-up read threads; one lock guards the reader table.
 */
public final class ReadAheadPolicy {

    /** The first window a reader earns on its second sequential read. */
    public static final long INITIAL_WINDOW_BYTES = 64 * 1024;
    /**
     * A reader counts as active for this long after its last read: a consumer catching up fetches
     * each partition many times a second, and a reader that finished or gave up must not keep a
     * share for long (one stream read after another would otherwise shrink every later window).
     */
    static final long ACTIVE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How often the count of active readers is refreshed (it walks the reader table). */
    private static final long RECOUNT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private record ReaderKey(long streamId, long nextOffset) {
    }

    private record Reader(long window, long lastReadNanos) {
    }

    private final long maxWindowBytes;
    private final long sharedBytes;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<ReaderKey, Reader> readers;
    private int activeReaders;
    private long countedAt;
    private boolean counted;

    /**
     * @param maxWindowBytes the largest read-ahead; 0 turns read-ahead off
     * @param maxReaders     how many readers are remembered (least recently used forgotten)
     * @param sharedBytes    what the windows of all active readers may add up to
     * @param nanoClock      {@link System#nanoTime()} outside tests
     */
    public ReadAheadPolicy(long maxWindowBytes, int maxReaders, long sharedBytes, LongSupplier nanoClock) {
        if (maxWindowBytes < 0 || maxReaders <= 0 || sharedBytes < 0) {
            throw new IllegalArgumentException("invalid read-ahead settings: " + maxWindowBytes + ", " + maxReaders
                    + ", " + sharedBytes);
        }
        this.maxWindowBytes = maxWindowBytes;
        this.sharedBytes = sharedBytes;
        this.nanoClock = nanoClock;
        this.readers = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ReaderKey, Reader> eldest) {
                return size() > maxReaders;
            }
        };
    }

    /** A policy whose windows share nothing (each reader may reach {@code maxWindowBytes}). */
    public ReadAheadPolicy(long maxWindowBytes, int maxReaders) {
        this(maxWindowBytes, maxReaders, Long.MAX_VALUE, System::nanoTime);
    }

    /** A read of {@code streamId} begins at {@code startOffset}: the bytes to read ahead of what it needs. */
    public synchronized long windowFor(long streamId, long startOffset) {
        Reader reader = readers.remove(new ReaderKey(streamId, startOffset));
        if (reader == null) {
            return 0;
        }
        long grown = Math.min(maxWindowBytes, reader.window() == 0 ? INITIAL_WINDOW_BYTES : reader.window() * 2);
        // This reader left the table above; it is active too.
        long share = sharedBytes / (activeReaders(nanoClock.getAsLong()) + 1);
        return Math.min(grown, share);
    }

    /** The read that was given {@code window} ended at {@code nextOffset}: the reader is expected there next. */
    public synchronized void readEnded(long streamId, long nextOffset, long window) {
        readers.put(new ReaderKey(streamId, nextOffset), new Reader(window, nanoClock.getAsLong()));
    }

    public long maxWindowBytes() {
        return maxWindowBytes;
    }

    /** Readers that read within {@link #ACTIVE_NANOS}, recounted at most every {@link #RECOUNT_NANOS}. */
    private int activeReaders(long now) {
        if (!counted || now - countedAt >= RECOUNT_NANOS) {
            int active = 0;
            for (Reader reader : readers.values()) {
                if (now - reader.lastReadNanos() < ACTIVE_NANOS) {
                    active++;
                }
            }
            activeReaders = active;
            countedAt = now;
            counted = true;
        }
        return activeReaders;
    }
}
