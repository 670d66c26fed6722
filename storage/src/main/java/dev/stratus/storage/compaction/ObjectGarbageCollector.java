package dev.stratus.storage.compaction;

import dev.stratus.storage.metadata.CommitRequest;
import dev.stratus.storage.metadata.MarkedObject;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.metadata.StreamMetadataView;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.objects.ObjectStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes objects, always through the controller: mark, wait out the grace period, delete the
 * key, forget the id.
 * <ul>
 *   <li><b>dead objects</b> (every range's stream deleted or trimmed past it) are marked with a
 *       compaction commit that replaces them by nothing, which the store accepts only if they
 *       still hold no live data;</li>
 *   <li><b>orphans</b> (keys in object storage whose id was prepared but never committed, and
 *       whose prepare expired) are found by listing the objects prefix and marked by the store,
 *       which alone decides what is an orphan;</li>
 *   <li><b>marked objects</b> older than the grace period are deleted from object storage in
 *       batches, then forgotten by the store.</li>
 * </ul>
 *
 * <p>Owned by the compaction thread; blocks on I/O futures.
 */
final class ObjectGarbageCollector {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectGarbageCollector.class);
    /** Keys per DELETE call (S3's DeleteObjects takes up to 1,000) and ids per metadata call. */
    static final int BATCH = 1_000;

    /** What a collection did. */
    record Result(int markedDead, int markedOrphans, int deleted) {
    }

    private final ObjectStorage storage;
    private final StreamMetadataStore metadata;
    private final StreamMetadataView view;
    private final Clock clock;
    private final long graceMs;

    ObjectGarbageCollector(ObjectStorage storage, StreamMetadataStore metadata, StreamMetadataView view, Clock clock, long graceMs) {
        this.storage = storage;
        this.metadata = metadata;
        this.view = view;
        this.clock = clock;
        this.graceMs = graceMs;
    }

    /** Marks objects with no live data; returns how many were marked. */
    int markDead(CatalogSnapshot catalog) {
        List<Long> dead = catalog.objects().stream().filter(o -> !catalog.hasLiveData(o))
                .map(ObjectMetadata::objectId).toList();
        int marked = 0;
        for (List<Long> batch : batches(dead)) {
            try {
                metadata.commitObjects(CommitRequest.compaction(List.of(), batch)).join();
                marked += batch.size();
            } catch (RuntimeException e) {
                LOG.info("marking {} dead objects failed (the catalog changed meanwhile), next round retries: {}",
                        batch.size(), e.toString());
            }
        }
        return marked;
    }

    /** Lists object storage and has the store mark the orphans among the keys; returns how many it marked. */
    int markOrphans() {
        List<String> keys = storage.list(ObjectKeys.OBJECTS_PREFIX).join();
        Set<Long> known = new HashSet<>();
        view.listObjects().join().forEach(o -> known.add(o.objectId()));
        view.markedObjects().join().forEach(o -> known.add(o.objectId()));
        List<Long> candidates = new ArrayList<>();
        for (String key : keys) {
            long id = ObjectKeys.objectId(key);
            if (id >= 0 && !known.contains(id)) {
                candidates.add(id);
            }
        }
        int marked = 0;
        for (List<Long> batch : batches(candidates)) {
            List<Long> orphans = metadata.markOrphans(batch).join();
            if (!orphans.isEmpty()) {
                LOG.info("marked {} orphan objects (written, never committed): {}", orphans.size(), orphans);
            }
            marked += orphans.size();
        }
        return marked;
    }

    /** Deletes the keys of objects marked at least the grace period ago, then forgets them; returns how many. */
    int deleteDue() {
        long dueMs = clock.millis() - graceMs;
        List<Long> due = view.markedObjects().join().stream().filter(o -> o.markedAtMs() <= dueMs)
                .map(MarkedObject::objectId).toList();
        int deleted = 0;
        for (List<Long> batch : batches(due)) {
            storage.delete(batch.stream().map(ObjectKeys::objectKey).toList()).join();
            metadata.forgetObjects(batch).join();
            deleted += batch.size();
        }
        if (deleted > 0) {
            LOG.info("deleted {} objects from object storage after the {} ms grace period", deleted, graceMs);
        }
        return deleted;
    }

    private static List<List<Long>> batches(List<Long> ids) {
        List<List<Long>> result = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += BATCH) {
            result.add(ids.subList(from, Math.min(ids.size(), from + BATCH)));
        }
        return result;
    }
}
