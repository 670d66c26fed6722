package dev.stratus.storage.metadata;

import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rules of the object catalog, shared by every {@link StreamMetadataStore} so that they all
 * decide alike: when a {@link CommitRequest} is valid (see its Javadoc), which data is live,
 * and which object ids are orphans. Each store keeps its own state and exposes it through a
 * {@link Catalog}; these rules only read it and say what to change.
 *
 * <p>Stateless; called on the store's own thread (or under its lock).
 */
public final class ObjectCatalogRules {

    /** Read access to a store's state. */
    public interface Catalog {
        /** The stream, or null when it does not exist (never created, or deleted). */
        StreamMetadata stream(long streamId);

        /** The committed object, or null when the id is not committed or is marked for deletion. */
        ObjectMetadata object(long objectId);

        boolean isMarked(long objectId);

        /** Whether the id was prepared, is not committed, and its prepare has not expired at {@code nowMs}. */
        boolean isPrepared(long objectId, long nowMs);

        /** Ids below this have been handed out by {@code prepareObjects}. */
        long nextObjectId();
    }

    /**
     * What a valid commit changes.
     *
     * @param retry         the request was already committed: change nothing, report success
     * @param newEndOffsets for an upload, the streams whose committed end advances, and to where
     */
    public record Decision(boolean retry, Map<Long, Long> newEndOffsets) {
    }

    private ObjectCatalogRules() {
    }

    /** Whether a range still holds readable data: its stream exists and it reaches past the stream's start. */
    public static boolean isLive(StreamOffsetRange range, StreamMetadata stream) {
        return stream != null && range.endOffset() > stream.startOffset();
    }

    /** Whether any range of the object is live. */
    public static boolean hasLiveData(ObjectMetadata object, Catalog catalog) {
        for (StreamOffsetRange range : object.ranges()) {
            if (isLive(range, catalog.stream(range.streamId()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * An orphan is an id that was handed out but is neither committed, nor marked, nor prepared
     * with an unexpired TTL: whatever object storage holds under it will never become visible.
     */
    public static boolean isOrphan(long objectId, Catalog catalog, long nowMs) {
        return objectId >= 0 && objectId < catalog.nextObjectId() && catalog.object(objectId) == null
                && !catalog.isMarked(objectId) && !catalog.isPrepared(objectId, nowMs);
    }

    /**
     * Checks {@code request} against the catalog at {@code nowMs}.
     *
     * @throws StreamException {@code FENCED} (an upload range with a stale epoch),
     *                         {@code STREAM_NOT_FOUND} (an upload to a deleted stream),
     *                         {@code OFFSET_MISMATCH} (an upload that does not continue its stream,
     *                         or a compaction whose inputs changed or whose ranges do not match them),
     *                         {@code UNEXPECTED} (malformed request, id never prepared or expired,
     *                         id already committed differently)
     */
    public static Decision check(CommitRequest request, Catalog catalog, long nowMs) {
        checkShape(request);
        Decision retry = retryOf(request, catalog);
        if (retry != null) {
            return retry;
        }
        for (NewObject object : request.objects()) {
            if (!catalog.isPrepared(object.objectId(), nowMs)) {
                throw unexpected("object id " + object.objectId() + " was never prepared or its prepare expired");
            }
        }
        return request.isCompaction() ? checkCompaction(request, catalog) : checkUpload(request, catalog);
    }

    private static void checkShape(CommitRequest request) {
        Set<Long> ids = new HashSet<>();
        for (NewObject object : request.objects()) {
            if (!ids.add(object.objectId())) {
                throw unexpected("object " + object.objectId() + " appears twice in one commit");
            }
            if (object.ranges().isEmpty()) {
                throw unexpected("object " + object.objectId() + " holds no range");
            }
            Set<Long> streams = new HashSet<>();
            for (CommitRange range : object.ranges()) {
                if (range.endOffset() <= range.startOffset()) {
                    throw unexpected("object " + object.objectId() + " has an empty range " + range);
                }
                if (!streams.add(range.streamId())) {
                    throw unexpected("object " + object.objectId() + " holds two ranges of stream " + range.streamId());
                }
            }
            if (object.type() == ObjectType.STREAM && streams.size() != 1) {
                throw unexpected("stream object " + object.objectId() + " holds " + streams.size() + " streams");
            }
        }
        for (long compacted : request.compactedObjectIds()) {
            if (!ids.add(compacted)) {
                throw unexpected("object " + compacted + " is named twice in one commit");
            }
        }
    }

    /** A retry when every new object is already committed exactly as requested; null when nothing is committed yet. */
    private static Decision retryOf(CommitRequest request, Catalog catalog) {
        int committed = 0;
        for (NewObject object : request.objects()) {
            ObjectMetadata existing = catalog.object(object.objectId());
            if (existing != null && existing.ranges().equals(object.offsetRanges()) && existing.type() == object.type()) {
                committed++;
            } else if (existing != null || catalog.isMarked(object.objectId())) {
                throw unexpected("object " + object.objectId() + " is already committed with other ranges");
            }
        }
        if (committed == 0) {
            return null;
        }
        boolean compactedGone = request.compactedObjectIds().stream().allMatch(id -> catalog.object(id) == null);
        if (committed != request.objects().size() || !compactedGone) {
            throw unexpected("a commit is partly committed already: " + request);
        }
        return new Decision(true, Map.of());
    }

    private static Decision checkUpload(CommitRequest request, Catalog catalog) {
        Map<Long, Long> ends = new HashMap<>();
        for (NewObject object : request.objects()) {
            for (CommitRange range : object.ranges()) {
                StreamMetadata stream = catalog.stream(range.streamId());
                if (stream == null) {
                    throw new StreamException(StreamErrorCode.STREAM_NOT_FOUND, "stream " + range.streamId() + " does not exist");
                }
                if (range.epoch() != stream.epoch()) {
                    throw new StreamException(StreamErrorCode.FENCED, "stream " + range.streamId() + " is at epoch "
                            + stream.epoch() + ", the commit carries epoch " + range.epoch());
                }
                long end = ends.getOrDefault(range.streamId(), stream.endOffset());
                if (range.startOffset() != end) {
                    throw new StreamException(StreamErrorCode.OFFSET_MISMATCH, "stream " + range.streamId()
                            + " is committed up to " + end + ", the commit starts at " + range.startOffset());
                }
                ends.put(range.streamId(), range.endOffset());
            }
        }
        return new Decision(false, Map.copyOf(ends));
    }

    private static Decision checkCompaction(CommitRequest request, Catalog catalog) {
        TreeMap<Long, List<StreamOffsetRange>> before = new TreeMap<>();
        for (long id : request.compactedObjectIds()) {
            ObjectMetadata compacted = catalog.object(id);
            if (compacted == null) {
                throw mismatch("object " + id + " is no longer committed (compacted or deleted meanwhile)");
            }
            for (StreamOffsetRange range : compacted.ranges()) {
                before.computeIfAbsent(range.streamId(), s -> new ArrayList<>()).add(range);
            }
        }
        TreeMap<Long, List<StreamOffsetRange>> after = new TreeMap<>();
        for (NewObject object : request.objects()) {
            for (StreamOffsetRange range : object.offsetRanges()) {
                after.computeIfAbsent(range.streamId(), s -> new ArrayList<>()).add(range);
            }
        }
        for (long streamId : after.keySet()) {
            if (!before.containsKey(streamId)) {
                throw mismatch("stream " + streamId + " is in no compacted object");
            }
        }
        for (Map.Entry<Long, List<StreamOffsetRange>> entry : before.entrySet()) {
            checkStreamRewrite(entry.getKey(), entry.getValue(), after.getOrDefault(entry.getKey(), List.of()),
                    catalog.stream(entry.getKey()));
        }
        return new Decision(false, Map.of());
    }

    /** New ranges must be disjoint, inside the old ones, and cover every live offset of the old ones. */
    private static void checkStreamRewrite(long streamId, List<StreamOffsetRange> oldRanges, List<StreamOffsetRange> newRanges,
                                           StreamMetadata stream) {
        List<long[]> old = union(oldRanges);
        List<StreamOffsetRange> fresh = new ArrayList<>(newRanges);
        fresh.sort(Comparator.comparingLong(StreamOffsetRange::startOffset));
        for (int i = 0; i < fresh.size(); i++) {
            StreamOffsetRange range = fresh.get(i);
            if (i > 0 && range.startOffset() < fresh.get(i - 1).endOffset()) {
                throw mismatch("new ranges of stream " + streamId + " overlap: " + fresh.get(i - 1) + ", " + range);
            }
            boolean inside = old.stream().anyMatch(o -> o[0] <= range.startOffset() && range.endOffset() <= o[1]);
            if (!inside) {
                throw mismatch("new range " + range + " is not inside the compacted ranges of stream " + streamId);
            }
        }
        if (stream == null) {
            return;
        }
        for (long[] interval : old) {
            long from = Math.max(interval[0], stream.startOffset());
            long to = interval[1];
            if (from >= to) {
                continue;
            }
            long covered = from;
            for (StreamOffsetRange range : fresh) {
                if (range.endOffset() <= covered) {
                    continue;
                }
                if (range.startOffset() > covered) {
                    break;
                }
                covered = range.endOffset();
                if (covered >= to) {
                    break;
                }
            }
            if (covered < to) {
                throw mismatch("stream " + streamId + " offsets " + covered + ".." + to
                        + " are live in the compacted objects but in no new object");
            }
        }
    }

    /** Sorted, merged intervals {@code [start, end)} of the ranges. */
    private static List<long[]> union(List<StreamOffsetRange> ranges) {
        List<StreamOffsetRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(StreamOffsetRange::startOffset));
        List<long[]> result = new ArrayList<>();
        for (StreamOffsetRange range : sorted) {
            long[] last = result.isEmpty() ? null : result.get(result.size() - 1);
            if (last != null && range.startOffset() <= last[1]) {
                last[1] = Math.max(last[1], range.endOffset());
            } else {
                result.add(new long[] {range.startOffset(), range.endOffset()});
            }
        }
        return result;
    }

    private static StreamException unexpected(String message) {
        return new StreamException(StreamErrorCode.UNEXPECTED, message);
    }

    private static StreamException mismatch(String message) {
        return new StreamException(StreamErrorCode.OFFSET_MISMATCH, message);
    }
}
