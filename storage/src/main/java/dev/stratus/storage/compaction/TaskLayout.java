package dev.stratus.storage.compaction;

import dev.stratus.storage.format.ObjectBytes;
import dev.stratus.storage.format.ObjectEncoder;
import dev.stratus.storage.format.StreamObjectWriter;
import dev.stratus.storage.format.StreamSetObjectWriter;
import dev.stratus.storage.metadata.CommitRange;
import dev.stratus.storage.metadata.NewObject;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.ObjectType;
import dev.stratus.storage.metadata.StreamOffsetRange;
import dev.stratus.storage.stream.StreamRecordBatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lays out the live data of a task's input objects as output objects. Per stream, the input
 * ranges are chained into runs of continuing offsets (an object holds one range per stream, so
 * pieces that do not continue each other cannot share an object), and batches that are no longer
 * live (stream deleted, or ending at or below its start offset) are dropped. Then:
 * <ul>
 *   <li>when every input is a stream object of one stream, each run becomes a stream object;</li>
 *   <li>otherwise a stream whose live data reaches the split size, or that has several runs,
 *       gets one stream object per run, and every other stream goes into one stream set object.</li>
 * </ul>
 *
 * <p>Immutable once built; used on the compaction thread.
 */
final class TaskLayout {

    /** Live batches of one stream continuing each other. */
    record Run(long streamId, List<StreamRecordBatch> batches) {

        long startOffset() {
            return batches.get(0).baseOffset();
        }

        long endOffset() {
            return batches.get(batches.size() - 1).nextOffset();
        }

        long bytes() {
            return batches.stream().mapToLong(ObjectUsage::batchBytes).sum();
        }

        CommitRange commitRange() {
            return new CommitRange(streamId, -1, startOffset(), endOffset());
        }
    }

    /** One output object: a stream object (one run) or a stream set object (runs of distinct streams, by stream id). */
    record Output(ObjectType type, List<Run> runs) {

        /** Every batch of the output, in object order. */
        List<StreamRecordBatch> batches() {
            return runs.stream().flatMap(run -> run.batches().stream()).toList();
        }

        /** A fresh encoder for this output as object {@code objectId}. */
        ObjectEncoder encoder(long objectId, int blockBytes) {
            return type == ObjectType.STREAM
                    ? new StreamObjectWriter(objectId, runs.get(0).streamId(), blockBytes)
                    : new StreamSetObjectWriter(objectId, blockBytes);
        }

        /** What to commit once this output is written as object {@code objectId} of {@code sizeBytes}. */
        NewObject written(long objectId, long sizeBytes) {
            return new NewObject(objectId, type, sizeBytes, runs.stream().map(Run::commitRange).toList());
        }
    }

    private final List<Output> outputs;

    private TaskLayout(List<Output> outputs) {
        this.outputs = outputs;
    }

    /** @param inputs the decoded input objects of {@code task}, by object id */
    static TaskLayout of(CompactionTask task, Map<Long, ObjectBytes> inputs, CatalogSnapshot catalog, long splitBytes) {
        record Piece(StreamOffsetRange range, ObjectBytes object) {
        }
        TreeMap<Long, List<Piece>> pieces = new TreeMap<>();
        for (ObjectMetadata object : task.inputs()) {
            for (StreamOffsetRange range : object.ranges()) {
                pieces.computeIfAbsent(range.streamId(), s -> new ArrayList<>())
                        .add(new Piece(range, inputs.get(object.objectId())));
            }
        }
        boolean streamObjectsOnly = pieces.size() == 1
                && task.inputs().stream().allMatch(o -> o.type() == ObjectType.STREAM);
        List<Run> shared = new ArrayList<>();
        List<Output> own = new ArrayList<>();
        for (Map.Entry<Long, List<Piece>> entry : pieces.entrySet()) {
            long streamId = entry.getKey();
            List<Piece> sorted = new ArrayList<>(entry.getValue());
            sorted.sort(Comparator.comparingLong(p -> p.range().startOffset()));
            List<Run> runs = new ArrayList<>();
            List<StreamRecordBatch> current = new ArrayList<>();
            long previousEnd = Long.MIN_VALUE;
            for (Piece piece : sorted) {
                if (piece.range().startOffset() != previousEnd) {
                    addRun(runs, streamId, current);
                    current = new ArrayList<>();
                }
                for (StreamRecordBatch batch : piece.object().batches(streamId)) {
                    if (catalog.isLive(streamId, batch.nextOffset())) {
                        current.add(batch);
                    }
                }
                previousEnd = piece.range().endOffset();
            }
            addRun(runs, streamId, current);
            long bytes = runs.stream().mapToLong(Run::bytes).sum();
            if (streamObjectsOnly || runs.size() > 1 || bytes >= splitBytes) {
                runs.forEach(run -> own.add(new Output(ObjectType.STREAM, List.of(run))));
            } else if (!runs.isEmpty()) {
                shared.add(runs.get(0));
            }
        }
        List<Output> outputs = new ArrayList<>();
        if (!shared.isEmpty()) {
            outputs.add(new Output(ObjectType.STREAM_SET, shared));
        }
        outputs.addAll(own);
        return new TaskLayout(List.copyOf(outputs));
    }

    private static void addRun(List<Run> runs, long streamId, List<StreamRecordBatch> batches) {
        if (!batches.isEmpty()) {
            runs.add(new Run(streamId, List.copyOf(batches)));
        }
    }

    List<Output> outputs() {
        return outputs;
    }
}
