package dev.stratus.storage.cache;

import dev.stratus.storage.stream.StreamRecordBatch;

import java.util.List;

/**
 * What the {@link LogCache} holds for a read: nothing (the offsets lie below the cache: read
 * objects), resident batches, or a {@link WalSegment} to read back from the WAL (the batches
 * were evicted before they were uploaded). Immutable.
 */
public record CacheLookup(Kind kind, List<StreamRecordBatch> batches, WalSegment segment) {

    public enum Kind { MISS, RESIDENT, WAL }

    private static final CacheLookup MISS = new CacheLookup(Kind.MISS, List.of(), null);

    public CacheLookup {
        batches = List.copyOf(batches);
        if ((kind == Kind.WAL) != (segment != null)) {
            throw new IllegalArgumentException(kind + " lookup with segment " + segment);
        }
    }

    public static CacheLookup miss() {
        return MISS;
    }

    public static CacheLookup resident(List<StreamRecordBatch> batches) {
        return new CacheLookup(Kind.RESIDENT, batches, null);
    }

    public static CacheLookup wal(WalSegment segment) {
        return new CacheLookup(Kind.WAL, List.of(), segment);
    }
}
