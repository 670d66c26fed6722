package dev.stratus.broker.partition;

import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamRecordBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;

/**
 * Reads the batch headers of a range of a partition's stream when the partition opens, to
 * rebuild what the {@link PartitionCheckpoint} does not hold: the {@link BatchIndex} for
 * retention and sizes, the leader epochs and the idempotent producers' batches. With a
 * checkpoint only the data after it is read; without one (a partition from before checkpoints)
 * the whole retained data, once per open. Only headers are decoded.
 *
 * <p>Stateless; the scan continues on {@code executor} between reads.
 */
final class LogScanner {

    /** What the scan found. */
    record Scan(BatchIndex index, List<LeaderEpochHistory.Entry> epochs, List<ProducerStateLoader.ProducerBatch> producers) {
    }

    private static final int READ_BYTES = 4 * 1024 * 1024;

    private LogScanner() {
    }

    /** Scans from the stream's start to {@code end}. */
    static CompletableFuture<Scan> scan(Stream stream, long end, Executor executor) {
        return scan(stream, stream.startOffset(), end, executor);
    }

    /** Scans {@code [from, end)}. */
    static CompletableFuture<Scan> scan(Stream stream, long from, long end, Executor executor) {
        Scan scan = new Scan(new BatchIndex(), new ArrayList<>(), new ArrayList<>());
        return step(stream, from, end, scan, executor).thenApply(ignored -> scan);
    }

    private static CompletableFuture<Void> step(Stream stream, long from, long end, Scan scan, Executor executor) {
        if (from >= end) {
            return CompletableFuture.completedFuture(null);
        }
        return stream.fetch(from, end, READ_BYTES).thenComposeAsync(result -> {
            long next = from;
            for (StreamRecordBatch stored : result.batches()) {
                if (stored.baseOffset() >= end) {
                    return CompletableFuture.<Void>completedFuture(null);
                }
                if (stored.nextOffset() <= from) {
                    continue;
                }
                long maxTimestamp = -1L;
                for (MutableRecordBatch batch : MemoryRecords.readableRecords(stored.payloadView()).batches()) {
                    maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
                    int epoch = batch.partitionLeaderEpoch();
                    List<LeaderEpochHistory.Entry> epochs = scan.epochs();
                    if (epoch >= 0 && (epochs.isEmpty() || epoch > epochs.get(epochs.size() - 1).epoch())) {
                        epochs.add(new LeaderEpochHistory.Entry(epoch, batch.baseOffset()));
                    }
                    if (batch.producerId() != RecordBatch.NO_PRODUCER_ID) {
                        scan.producers().add(new ProducerStateLoader.ProducerBatch(batch.producerId(), batch.producerEpoch(),
                                batch.baseSequence(), batch.lastSequence(), batch.baseOffset(), batch.lastOffset(),
                                batch.maxTimestamp()));
                    }
                }
                scan.index().add(stored.baseOffset(), stored.nextOffset(), maxTimestamp, stored.sizeInBytes());
                next = Math.max(next, stored.nextOffset());
            }
            return next <= from ? CompletableFuture.<Void>completedFuture(null) : step(stream, next, end, scan, executor);
        }, executor);
    }
}
