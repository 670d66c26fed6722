package dev.stratus.storage.compaction;

import dev.stratus.storage.format.ObjectBytes;
import dev.stratus.storage.format.StreamingObjectPut;
import dev.stratus.storage.metadata.CommitRequest;
import dev.stratus.storage.metadata.NewObject;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.objects.ObjectStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@link CompactionTask}: reads each input object whole (one GET each), lays the live
 * data out ({@link TaskLayout}), reserves ids, writes the outputs, and commits them together with
 * the inputs marked for deletion in one compaction commit. Reads and writes pass through the
 * bandwidth limiter. If anything fails after a PUT, the outputs are orphans that garbage
 * collection deletes once their prepare expires; the inputs stay committed and readable.
 *
 * <p>Owned by the compaction thread; blocks on I/O futures, which complete on storage threads.
 */
final class ObjectCompactor {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectCompactor.class);

    /** What a task did, for the round's report. */
    record Result(int objectsRead, long bytesRead, int objectsWritten, long bytesWritten) {
    }

    private final ObjectStorage storage;
    private final StreamMetadataStore metadata;
    private final BandwidthLimiter limiter;
    private final CompactionSettings settings;

    ObjectCompactor(ObjectStorage storage, StreamMetadataStore metadata, BandwidthLimiter limiter, CompactionSettings settings) {
        this.storage = storage;
        this.metadata = metadata;
        this.limiter = limiter;
        this.settings = settings;
    }

    Result run(CompactionTask task, CatalogSnapshot catalog) throws InterruptedException {
        Map<Long, ObjectBytes> inputs = new HashMap<>();
        long bytesRead = 0;
        for (ObjectMetadata object : task.inputs()) {
            limiter.acquire(object.sizeBytes());
            ByteBuffer bytes = storage.rangeRead(ObjectKeys.objectKey(object.objectId()), 0, object.sizeBytes()).join();
            inputs.put(object.objectId(), ObjectBytes.parse(object.objectId(), bytes));
            bytesRead += bytes.remaining();
        }
        TaskLayout layout = TaskLayout.of(task, inputs, catalog, settings.streamObjectSplitBytes());
        List<NewObject> written = new ArrayList<>();
        long bytesWritten = 0;
        if (!layout.outputs().isEmpty()) {
            long firstId = metadata.prepareObjects(layout.outputs().size(), settings.prepareTtlMs()).join();
            for (int i = 0; i < layout.outputs().size(); i++) {
                TaskLayout.Output output = layout.outputs().get(i);
                long objectId = firstId + i;
                // Encoded and written piece by piece: an output is never held whole beside the inputs.
                limiter.acquire(output.runs().stream().mapToLong(TaskLayout.Run::bytes).sum());
                long size = StreamingObjectPut.runBlocking(storage, ObjectKeys.objectKey(objectId),
                        output.encoder(objectId, settings.blockBytes()), output.batches());
                written.add(output.written(objectId, size));
                bytesWritten += size;
            }
        }
        List<Long> compacted = task.inputs().stream().map(ObjectMetadata::objectId).toList();
        metadata.commitObjects(CommitRequest.compaction(written, compacted)).join();
        LOG.info("compaction ({}): objects {} ({} bytes) replaced by {} ({} bytes)", task.kind(), compacted, bytesRead,
                written.stream().map(o -> o.type() + " " + o.objectId()).toList(), bytesWritten);
        return new Result(compacted.size(), bytesRead, written.size(), bytesWritten);
    }
}
