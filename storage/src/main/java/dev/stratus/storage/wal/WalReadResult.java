package dev.stratus.storage.wal;

import java.util.List;

/**
 * Records read from the WAL in position order, and the position right after the last of them
 * (the position to trim to once they are uploaded).
 */
public record WalReadResult(List<WalEntry> entries, long endPosition) {

    public WalReadResult {
        entries = List.copyOf(entries);
    }

    public long bytes() {
        long bytes = 0;
        for (WalEntry entry : entries) {
            bytes += entry.batch().sizeInBytes();
        }
        return bytes;
    }
}
