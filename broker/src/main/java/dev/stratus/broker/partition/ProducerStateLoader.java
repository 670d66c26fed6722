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
 * Rebuilds idempotent-producer state when a partition is opened (after a restart or a move) by
 * reading the batch headers of the stream's tail, so that a producer retrying a batch written
 * by the previous leader gets its original offset instead of a second copy.
 *
 * <p>Used only when the partition has no usable {@link PartitionCheckpoint} (one from before
 * checkpoints, or none written yet): then only the last {@link #TAIL_OFFSETS} offsets are scanned: a producer silent for longer is treated as unknown (any sequence
 * accepted), which is also what Kafka does once a producer's state has expired.
 *
 * <p>Stateless; the scan continues on {@code executor} between reads.
 */
final class ProducerStateLoader {

    /** One idempotent batch found in the tail. */
    record ProducerBatch(long producerId, short epoch, int firstSequence, int lastSequence, long baseOffset,
                         long lastOffset, long maxTimestamp) {
    }

    static final long TAIL_OFFSETS = 10_000;
    private static final int READ_BYTES = 1024 * 1024;

    private ProducerStateLoader() {
    }

    static CompletableFuture<List<ProducerBatch>> load(Stream stream, Executor executor) {
        long end = stream.confirmedOffset();
        long from = Math.max(stream.startOffset(), end - TAIL_OFFSETS);
        List<ProducerBatch> found = new ArrayList<>();
        return scan(stream, from, end, found, executor).thenApply(ignored -> found);
    }

    private static CompletableFuture<Void> scan(Stream stream, long from, long end, List<ProducerBatch> found,
                                                Executor executor) {
        if (from >= end) {
            return CompletableFuture.completedFuture(null);
        }
        return stream.fetch(from, end, READ_BYTES).thenComposeAsync(result -> {
            long next = from;
            for (StreamRecordBatch stored : result.batches()) {
                for (MutableRecordBatch batch : MemoryRecords.readableRecords(stored.payloadView()).batches()) {
                    if (batch.producerId() != RecordBatch.NO_PRODUCER_ID && batch.lastOffset() >= from) {
                        found.add(new ProducerBatch(batch.producerId(), batch.producerEpoch(), batch.baseSequence(),
                                batch.lastSequence(), batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp()));
                    }
                }
                next = Math.max(next, stored.nextOffset());
            }
            return next <= from ? CompletableFuture.<Void>completedFuture(null) : scan(stream, next, end, found, executor);
        }, executor);
    }
}
