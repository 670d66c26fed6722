package dev.stratus.storage.upload;

import dev.stratus.storage.metadata.CommitRange;
import dev.stratus.storage.metadata.StreamMetadata;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.wal.WalEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides what part of a slice of the WAL goes into the next stream set object. Per stream, in
 * WAL order, it keeps the batches that continue the stream's committed end exactly; it skips
 * batches already committed, batches out of sequence (left behind by a failed append), streams
 * that no longer exist, and runs whose writer was fenced (a higher epoch is current). A run
 * spanning several epochs of this node commits with the highest one.
 *
 * <p>Immutable once built; built and used on the upload thread.
 */
final class UploadPlan {

    private final List<StreamRecordBatch> batches;
    private final List<CommitRange> ranges;
    private final long bytes;
    private final long skippedCommitted;
    private final long skippedOutOfSequence;
    private final List<String> dropped;

    private UploadPlan(List<StreamRecordBatch> batches, List<CommitRange> ranges, long bytes, long skippedCommitted,
                       long skippedOutOfSequence, List<String> dropped) {
        this.batches = batches;
        this.ranges = ranges;
        this.bytes = bytes;
        this.skippedCommitted = skippedCommitted;
        this.skippedOutOfSequence = skippedOutOfSequence;
        this.dropped = dropped;
    }

    private static final class Run {
        final StreamMetadata stream;
        final List<StreamRecordBatch> batches = new ArrayList<>();
        long expected;
        long maxEpoch = Long.MIN_VALUE;

        Run(StreamMetadata stream) {
            this.stream = stream;
            this.expected = stream.endOffset();
        }
    }

    /**
     * @param streams the current metadata of every stream present in {@code entries}; a missing
     *                key means the stream does not exist any more
     */
    static UploadPlan build(List<WalEntry> entries, Map<Long, StreamMetadata> streams) {
        TreeMap<Long, Run> runs = new TreeMap<>();
        List<String> dropped = new ArrayList<>();
        TreeMap<Long, Long> missing = new TreeMap<>();
        long skippedCommitted = 0;
        long skippedOutOfSequence = 0;
        for (WalEntry entry : entries) {
            StreamRecordBatch batch = entry.batch();
            StreamMetadata stream = streams.get(batch.streamId());
            if (stream == null) {
                missing.merge(batch.streamId(), 1L, Long::sum);
                continue;
            }
            Run run = runs.computeIfAbsent(batch.streamId(), id -> new Run(stream));
            if (batch.baseOffset() == run.expected) {
                run.batches.add(batch);
                run.expected = batch.nextOffset();
                run.maxEpoch = Math.max(run.maxEpoch, batch.epoch());
            } else if (batch.nextOffset() <= run.expected) {
                skippedCommitted++;
            } else {
                skippedOutOfSequence++;
            }
        }
        missing.forEach((id, count) -> dropped.add("stream " + id + " no longer exists (" + count + " batches)"));
        List<StreamRecordBatch> batches = new ArrayList<>();
        List<CommitRange> ranges = new ArrayList<>();
        long bytes = 0;
        for (Run run : runs.values()) {
            if (run.batches.isEmpty()) {
                continue;
            }
            if (run.maxEpoch < run.stream.epoch()) {
                dropped.add("stream " + run.stream.streamId() + " offsets " + run.stream.endOffset() + ".." + run.expected
                        + " written with epoch " + run.maxEpoch + " were fenced by epoch " + run.stream.epoch());
                continue;
            }
            batches.addAll(run.batches);
            for (StreamRecordBatch batch : run.batches) {
                bytes += batch.sizeInBytes();
            }
            ranges.add(new CommitRange(run.stream.streamId(), run.maxEpoch, run.stream.endOffset(), run.expected));
        }
        return new UploadPlan(batches, ranges, bytes, skippedCommitted, skippedOutOfSequence, dropped);
    }

    boolean isEmpty() {
        return batches.isEmpty();
    }

    /** Batches sorted by stream id, then offset. */
    List<StreamRecordBatch> batches() {
        return batches;
    }

    List<CommitRange> ranges() {
        return ranges;
    }

    long bytes() {
        return bytes;
    }

    long skippedCommitted() {
        return skippedCommitted;
    }

    long skippedOutOfSequence() {
        return skippedOutOfSequence;
    }

    /** Human-readable reasons for data left out on purpose (fenced writers, deleted streams). */
    List<String> dropped() {
        return dropped;
    }
}
