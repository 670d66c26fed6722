package dev.stratus.storage.compaction;

import dev.stratus.storage.format.ObjectIndexCache;
import dev.stratus.storage.format.ObjectReader;
import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.metadata.StreamMetadataView;
import dev.stratus.storage.objects.ObjectStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * One round of object maintenance: mark dead objects, then run compaction tasks one after the
 * other (each planned from a fresh snapshot of the catalog, at most {@link #MAX_TASKS_PER_ROUND}),
 * then mark orphans, then delete what has been marked for longer than the grace period. A
 * failed task is logged and its inputs skipped for the rest of the round.
 *
 * <p>Owned by the compaction thread; blocks on I/O futures.
 */
final class CompactionRound {

    private static final Logger LOG = LoggerFactory.getLogger(CompactionRound.class);
    static final int MAX_TASKS_PER_ROUND = 16;
    private static final int INDEX_CACHE_ENTRIES = 8192;

    private final StreamMetadataView view;
    private final CompactionPlanner planner;
    private final ObjectCompactor compactor;
    private final ObjectGarbageCollector collector;
    private final ObjectReader indexReader;

    CompactionRound(ObjectStorage storage, StreamMetadataStore metadata, StreamMetadataView view, CompactionSettings settings,
                    BandwidthLimiter limiter, Clock clock) {
        this.view = view;
        this.planner = new CompactionPlanner(settings);
        this.compactor = new ObjectCompactor(storage, metadata, limiter, settings);
        this.collector = new ObjectGarbageCollector(storage, metadata, view, clock, settings.deletionGraceMs());
        this.indexReader = new ObjectReader(storage, new ObjectIndexCache(INDEX_CACHE_ENTRIES));
    }

    RoundReport run() throws InterruptedException {
        int markedDead = collector.markDead(snapshot());
        int tasks = 0;
        int failed = 0;
        int compacted = 0;
        int written = 0;
        long bytesRead = 0;
        long bytesWritten = 0;
        Set<Long> excluded = new HashSet<>();
        while (tasks + failed < MAX_TASKS_PER_ROUND) {
            CatalogSnapshot catalog = snapshot();
            Optional<CompactionTask> task = planner.next(catalog,
                    object -> indexReader.index(object.objectId(), object.sizeBytes()).join(), excluded);
            if (task.isEmpty()) {
                break;
            }
            try {
                ObjectCompactor.Result result = compactor.run(task.get(), catalog);
                tasks++;
                compacted += result.objectsRead();
                written += result.objectsWritten();
                bytesRead += result.bytesRead();
                bytesWritten += result.bytesWritten();
            } catch (RuntimeException e) {
                failed++;
                task.get().inputs().forEach(o -> excluded.add(o.objectId()));
                LOG.warn("compaction task {} failed, its objects stay as they are: {}", task.get(), e.toString());
            }
        }
        int orphans = collector.markOrphans();
        int deleted = collector.deleteDue();
        return new RoundReport(tasks, failed, compacted, written, bytesRead, bytesWritten, markedDead, orphans, deleted);
    }

    private CatalogSnapshot snapshot() {
        return CatalogSnapshot.of(view.listObjects().join(), view.allStreams().join());
    }
}
