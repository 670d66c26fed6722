package dev.stratus.storage.compaction;

import dev.stratus.storage.format.ObjectIndex;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.ObjectType;
import dev.stratus.storage.metadata.StreamOffsetRange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Set;
import java.util.TreeMap;

/**
 * Chooses the next compaction task from a catalog snapshot, in this order:
 * <ol>
 *   <li>merge the oldest small stream set objects (below half the max object size) while their
 *       total stays within the max object size, when there are at least two;</li>
 *   <li>merge a stream's consecutive small stream objects (offsets continuing each other),
 *       at least two, within the max object size;</li>
 *   <li>split a stream set object holding a stream that reaches the split size;</li>
 *   <li>rewrite an object at least half of which is dead (trimmed or deleted streams).</li>
 * </ol>
 * Objects with no live data at all are left to garbage collection, and objects larger than the
 * max object size are never read. Each task strictly lowers the object count, the dead bytes or
 * the number of big streams sharing stream set objects, so repeated planning converges.
 *
 * <p>Stateless apart from its settings; used on the compaction thread.
 */
final class CompactionPlanner {

    /** Loads an object's index (from a cache, or with a ranged read). */
    @FunctionalInterface
    interface IndexLoader {
        ObjectIndex load(ObjectMetadata object);
    }

    private final CompactionSettings settings;

    CompactionPlanner(CompactionSettings settings) {
        this.settings = settings;
    }

    /** The next task, with {@code excluded} object ids left out (objects of tasks that just failed). */
    Optional<CompactionTask> next(CatalogSnapshot catalog, IndexLoader indexes, Set<Long> excluded) {
        List<ObjectMetadata> candidates = catalog.objects().stream()
                .filter(o -> !excluded.contains(o.objectId()) && o.sizeBytes() <= settings.maxObjectBytes()
                        && catalog.hasLiveData(o))
                .sorted(Comparator.comparingLong(ObjectMetadata::objectId))
                .toList();
        return mergeStreamSets(candidates)
                .or(() -> mergeStreamObjects(candidates))
                .or(() -> rewriteOne(candidates, catalog, indexes));
    }

    private Optional<CompactionTask> mergeStreamSets(List<ObjectMetadata> candidates) {
        List<ObjectMetadata> group = new ArrayList<>();
        long total = 0;
        for (ObjectMetadata object : candidates) {
            if (object.type() != ObjectType.STREAM_SET || object.sizeBytes() >= settings.smallObjectBytes()) {
                continue;
            }
            if (total + object.sizeBytes() > settings.maxObjectBytes()) {
                break;
            }
            group.add(object);
            total += object.sizeBytes();
        }
        return group.size() >= 2
                ? Optional.of(new CompactionTask(CompactionTask.Kind.MERGE_STREAM_SETS, group))
                : Optional.empty();
    }

    private Optional<CompactionTask> mergeStreamObjects(List<ObjectMetadata> candidates) {
        Map<Long, List<ObjectMetadata>> byStream = new TreeMap<>();
        for (ObjectMetadata object : candidates) {
            if (object.type() == ObjectType.STREAM && object.sizeBytes() < settings.smallObjectBytes()) {
                byStream.computeIfAbsent(object.ranges().get(0).streamId(), s -> new ArrayList<>()).add(object);
            }
        }
        for (List<ObjectMetadata> objects : byStream.values()) {
            objects.sort(Comparator.comparingLong(o -> o.ranges().get(0).startOffset()));
            List<ObjectMetadata> chain = new ArrayList<>();
            long total = 0;
            for (ObjectMetadata object : objects) {
                StreamOffsetRange range = object.ranges().get(0);
                boolean continues = !chain.isEmpty()
                        && chain.get(chain.size() - 1).ranges().get(0).endOffset() == range.startOffset()
                        && total + object.sizeBytes() <= settings.maxObjectBytes();
                if (!continues) {
                    if (chain.size() >= 2) {
                        break;
                    }
                    chain.clear();
                    total = 0;
                }
                chain.add(object);
                total += object.sizeBytes();
            }
            if (chain.size() >= 2) {
                return Optional.of(new CompactionTask(CompactionTask.Kind.MERGE_STREAM_OBJECTS, chain));
            }
        }
        return Optional.empty();
    }

    private Optional<CompactionTask> rewriteOne(List<ObjectMetadata> candidates, CatalogSnapshot catalog, IndexLoader indexes) {
        for (ObjectMetadata object : candidates) {
            ObjectUsage usage = ObjectUsage.of(indexes.load(object), catalog);
            if (object.type() == ObjectType.STREAM_SET && usage.largestStreamBytes() >= settings.streamObjectSplitBytes()) {
                return Optional.of(new CompactionTask(CompactionTask.Kind.SPLIT_STREAMS, List.of(object)));
            }
            if (usage.deadBytes() > 0 && usage.deadBytes() >= usage.liveBytes()) {
                return Optional.of(new CompactionTask(CompactionTask.Kind.DROP_DEAD_DATA, List.of(object)));
            }
        }
        return Optional.empty();
    }
}
