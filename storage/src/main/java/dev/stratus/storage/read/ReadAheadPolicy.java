package dev.stratus.storage.read;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides how far past what a catch-up read needs the read should fetch, per reader. A reader
 * is recognised by where it will read next: a read that starts exactly where an earlier read of
 * the same stream ended continues that reader (a sequential read), which doubles its window up
 * to {@code maxWindowBytes}; any other read is a new reader (a seek or a random read) and gets
 * no read-ahead. A reader that jumps around therefore never earns a window, and one that stops
 * reading is forgotten once {@code maxReaders} newer readers were seen.
 *
 * <p>Threading: shared by the catch-up read threads; one lock guards the reader table.
 */
public final class ReadAheadPolicy {

    /** The first window a reader earns on its second sequential read. */
    public static final long INITIAL_WINDOW_BYTES = 64 * 1024;

    private record ReaderKey(long streamId, long nextOffset) {
    }

    private final long maxWindowBytes;
    private final LinkedHashMap<ReaderKey, Long> readers;

    /**
     * @param maxWindowBytes the largest read-ahead; 0 turns read-ahead off
     * @param maxReaders     how many readers are remembered (least recently used forgotten)
     */
    public ReadAheadPolicy(long maxWindowBytes, int maxReaders) {
        if (maxWindowBytes < 0 || maxReaders <= 0) {
            throw new IllegalArgumentException("invalid read-ahead settings: " + maxWindowBytes + ", " + maxReaders);
        }
        this.maxWindowBytes = maxWindowBytes;
        this.readers = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ReaderKey, Long> eldest) {
                return size() > maxReaders;
            }
        };
    }

    /** A read of {@code streamId} begins at {@code startOffset}: the bytes to read ahead of what it needs. */
    public synchronized long windowFor(long streamId, long startOffset) {
        Long window = readers.remove(new ReaderKey(streamId, startOffset));
        if (window == null) {
            return 0;
        }
        return Math.min(maxWindowBytes, window == 0 ? INITIAL_WINDOW_BYTES : window * 2);
    }

    /** The read that was given {@code window} ended at {@code nextOffset}: the reader is expected there next. */
    public synchronized void readEnded(long streamId, long nextOffset, long window) {
        readers.put(new ReaderKey(streamId, nextOffset), window);
    }

    public long maxWindowBytes() {
        return maxWindowBytes;
    }
}
