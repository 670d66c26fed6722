package dev.stratus.storage.wal;

import java.util.List;

/**
 * One acknowledged (or recovered) data object of the object WAL as the reader sees it: where its
 * records lie and, while it stays in the read cache, the records themselves. Dropping the records
 * ({@link #evict()}) only means the next read fetches the object again.
 *
 * <p>Created and evicted by the WAL writer thread; {@link #entries()} is read by any thread.
 */
public final class ObjectWalSegment {

    private final long sequence;
    private final String key;
    private final long startPosition;
    private final long endPosition;
    private final long bytes;
    private volatile List<WalEntry> entries;

    /** @param entries the object's records at or above the trim point, in position order (not empty) */
    ObjectWalSegment(long sequence, String key, List<WalEntry> entries) {
        this.sequence = sequence;
        this.key = key;
        this.entries = List.copyOf(entries);
        this.startPosition = entries.get(0).position();
        this.endPosition = entries.get(entries.size() - 1).endPosition();
        long total = 0;
        for (WalEntry entry : entries) {
            total += entry.batch().sizeInBytes();
        }
        this.bytes = total;
    }

    public long sequence() {
        return sequence;
    }

    public String key() {
        return key;
    }

    public long startPosition() {
        return startPosition;
    }

    public long endPosition() {
        return endPosition;
    }

    /** Payload bytes of the records (what the read cache counts). */
    public long bytes() {
        return bytes;
    }

    /** The records, or null once evicted from memory. */
    public List<WalEntry> entries() {
        return entries;
    }

    void evict() {
        entries = null;
    }
}
