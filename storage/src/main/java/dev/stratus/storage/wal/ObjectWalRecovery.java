package dev.stratus.storage.wal;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * What recovering an object WAL found and claimed: the records in {@code [startPosition,
 * endPosition)} (in position order, grouped by the object that holds them), the fence that now
 * stops every earlier owner, and the keys a new owner may delete once trimmed past them.
 *
 * @param walNodeId       whose WAL
 * @param segments        the data objects holding records at or above {@code startPosition}
 * @param startPosition   the trim point found (records below it were already uploaded)
 * @param endPosition     where the recovered records end: a new owner continues here
 * @param trimSequence    lowest sequence that may hold records at or above {@code startPosition}
 * @param epoch           the epoch the fence claimed
 * @param fenceSequence   where the fence object was created
 * @param resumeSequence  where objects of the new epoch start ({@code fenceSequence + FENCE_GAP})
 * @param dataSequences   sequences of non-fence objects seen (data, trim markers, discarded ones): deletable once trimmed past
 * @param stopReason      why the scan stopped where it did
 */
public record ObjectWalRecovery(int walNodeId, List<ObjectWalSegment> segments, long startPosition, long endPosition,
                                long trimSequence, long epoch, long fenceSequence, long resumeSequence,
                                SortedSet<Long> dataSequences, String stopReason) {

    public ObjectWalRecovery {
        segments = List.copyOf(segments);
    }

    /** Every recovered record, in position order. */
    public List<WalEntry> entries() {
        List<WalEntry> all = new ArrayList<>();
        for (ObjectWalSegment segment : segments) {
            List<WalEntry> entries = segment.entries();
            if (entries == null) {
                throw new IllegalStateException("recovered object " + segment.key() + " was evicted from memory");
            }
            all.addAll(entries);
        }
        return all;
    }

    public long records() {
        long count = 0;
        for (ObjectWalSegment segment : segments) {
            List<WalEntry> entries = segment.entries();
            count += entries == null ? 0 : entries.size();
        }
        return count;
    }

    public long bytes() {
        long total = 0;
        for (ObjectWalSegment segment : segments) {
            total += segment.bytes();
        }
        return total;
    }

    public WalRecoveryResult result() {
        return new WalRecoveryResult(startPosition, endPosition, records(), bytes(), stopReason);
    }
}
