package dev.stratus.storage.read;

import dev.stratus.storage.format.DataBlockIndexEntry;
import dev.stratus.storage.format.ObjectIndex;
import dev.stratus.storage.format.ObjectReader;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.StreamMetadataView;
import dev.stratus.storage.stream.StreamRecordBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a stream's committed data out of objects: asks the metadata store which objects hold
 * the offsets, reads each object's index (once, cached by {@link ObjectReader}), and takes the
 * blocks it needs through the {@link BlockLoader}, extended by the reader's read-ahead window
 * ({@link ReadAheadPolicy}) so that a sequential reader finds its next blocks cached.
 *
 * <p>Threading: {@link #read} blocks on I/O and runs on a catch-up read thread
 * ({@link CatchUpReadPool}); shared state lives in the caches and the policy.
 */
public final class CatchUpReader {

    private static final int OBJECTS_PER_LOOKUP = 16;

    private final StreamMetadataView metadata;
    private final ObjectReader indexReader;
    private final BlockLoader blocks;
    private final ReadAheadPolicy readAhead;

    public CatchUpReader(StreamMetadataView metadata, ObjectReader indexReader, BlockLoader blocks, ReadAheadPolicy readAhead) {
        this.metadata = metadata;
        this.indexReader = indexReader;
        this.blocks = blocks;
        this.readAhead = readAhead;
    }

    /** Batches of {@code streamId} overlapping {@code [start, end)}, at least one if any exists, about {@code maxBytes}. */
    public List<StreamRecordBatch> read(long streamId, long start, long end, int maxBytes) {
        long window = readAhead.windowFor(streamId, start);
        BatchCollector out = new BatchCollector(start, end, maxBytes);
        boolean more = true;
        while (more && !out.full()) {
            long before = out.next();
            List<ObjectMetadata> objects = ReadFailures.await(
                    metadata.objectsOf(streamId, out.next(), end, OBJECTS_PER_LOOKUP), "looking up objects of stream " + streamId);
            for (ObjectMetadata object : objects) {
                if (out.full()) {
                    break;
                }
                ObjectIndex index = ReadFailures.await(indexReader.index(object.objectId(), object.sizeBytes()),
                        "reading the index of object " + object.objectId());
                readObject(index, streamId, end, window, out);
            }
            more = objects.size() == OBJECTS_PER_LOOKUP && out.next() > before;
        }
        List<StreamRecordBatch> batches = out.batches();
        if (!batches.isEmpty()) {
            readAhead.readEnded(streamId, batches.get(batches.size() - 1).nextOffset(), window);
        }
        return batches;
    }

    private void readObject(ObjectIndex index, long streamId, long end, long window, BatchCollector out) {
        List<Integer> wanted = new ArrayList<>();
        List<DataBlockIndexEntry> entries = index.entries();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).overlaps(streamId, out.next(), end)) {
                wanted.add(i);
            }
        }
        int next = 0;
        while (next < wanted.size() && !out.full()) {
            int demandEnd = next;
            long estimate = 0;
            while (demandEnd < wanted.size() && (demandEnd == next || estimate < out.remainingBytes())) {
                estimate += entries.get(wanted.get(demandEnd)).blockSize();
                demandEnd++;
            }
            int aheadEnd = demandEnd;
            long ahead = 0;
            while (aheadEnd < wanted.size() && ahead < window) {
                ahead += entries.get(wanted.get(aheadEnd)).blockSize();
                aheadEnd++;
            }
            Map<Integer, CachedBlock> loaded = blocks.load(index, wanted.subList(next, aheadEnd));
            for (int i = next; i < demandEnd; i++) {
                for (StreamRecordBatch batch : loaded.get(wanted.get(i)).batches()) {
                    if (!out.offer(batch)) {
                        break;
                    }
                }
                if (out.full()) {
                    return;
                }
            }
            next = demandEnd;
        }
    }
}
