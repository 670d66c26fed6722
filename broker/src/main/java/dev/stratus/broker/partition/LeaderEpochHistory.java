package dev.stratus.broker.partition;

import java.util.ArrayList;
import java.util.List;

/**
 * The first offset of each leader epoch of a partition (Kafka's leader-epoch cache), for
 * OffsetForLeaderEpoch: rebuilt from the batch headers when the partition opens, then the
 * current epoch starting at the log end. Holds at most {@value #MAX_ENTRIES} epochs (the
 * oldest are forgotten; a client asking about one gets the oldest known answer).
 *
 * <p>Thread: owned by the partition's agent; not thread-safe.
 */
public final class LeaderEpochHistory {

    static final int MAX_ENTRIES = 256;

    /** An epoch and its first offset. */
    record Entry(int epoch, long startOffset) {
    }

    /** OffsetForLeaderEpoch's answer: the epoch found (-1 if none) and its end offset (-1 if none). */
    public record EndOffset(int epoch, long endOffset) {
        public static final EndOffset UNDEFINED = new EndOffset(-1, -1L);
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Records that {@code epoch} starts at {@code startOffset}; ignored unless newer than the last epoch. */
    void assign(int epoch, long startOffset) {
        if (epoch < 0 || !entries.isEmpty() && epoch <= entries.get(entries.size() - 1).epoch()) {
            return;
        }
        entries.add(new Entry(epoch, startOffset));
        if (entries.size() > MAX_ENTRIES) {
            entries.remove(0);
        }
    }

    /** Puts epochs found in older data (in order, all older than held ones) in front. */
    void prepend(List<Entry> older) {
        List<Entry> merged = new ArrayList<>();
        int firstHeld = entries.isEmpty() ? Integer.MAX_VALUE : entries.get(0).epoch();
        for (Entry entry : older) {
            if (entry.epoch() < firstHeld && (merged.isEmpty() || entry.epoch() > merged.get(merged.size() - 1).epoch())) {
                merged.add(entry);
            }
        }
        merged.addAll(entries);
        entries.clear();
        entries.addAll(merged.subList(Math.max(0, merged.size() - MAX_ENTRIES), merged.size()));
    }

    /**
     * Kafka's rule: the latest epoch ends at the log end; an older one ends where the next
     * larger epoch starts, and is answered with the largest epoch not above it; an epoch larger
     * than the latest, or an empty history, is undefined.
     */
    EndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        if (requestedEpoch < 0 || entries.isEmpty()) {
            return EndOffset.UNDEFINED;
        }
        Entry latest = entries.get(entries.size() - 1);
        if (requestedEpoch == latest.epoch()) {
            return new EndOffset(latest.epoch(), logEndOffset);
        }
        if (requestedEpoch > latest.epoch()) {
            return EndOffset.UNDEFINED;
        }
        Entry floor = null;
        for (Entry entry : entries) {
            if (entry.epoch() > requestedEpoch) {
                return new EndOffset(floor == null ? requestedEpoch : floor.epoch(), entry.startOffset());
            }
            floor = entry;
        }
        return EndOffset.UNDEFINED;
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }
}
