package dev.stratus.broker.partition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;

/**
 * Idempotent-producer state of one partition: for each producer id, its current epoch and the
 * last {@value #RETAINED_BATCHES} batches appended (Kafka clients keep at most five in flight,
 * so a retry is always one of them).
 *
 * <p>Rules, checked before a batch is appended:
 * <ul>
 * <li>no producer id (-1): nothing to check;</li>
 * <li>unknown producer: any sequence is accepted (its state may have expired);</li>
 * <li>older epoch: {@code INVALID_PRODUCER_EPOCH};</li>
 * <li>newer epoch: the sequence must restart at 0, else {@code OUT_OF_ORDER_SEQUENCE_NUMBER};</li>
 * <li>same epoch: a batch equal (first and last sequence) to a retained one is a duplicate and
 *     is answered with the original offsets; otherwise its first sequence must follow the last
 *     retained batch's, else {@code OUT_OF_ORDER_SEQUENCE_NUMBER}.</li>
 * </ul>
 * State is recorded when a batch is handed to the stream, before it is durable: a retry of a
 * batch still in flight is a duplicate that waits for the original's durability.
 *
 * <p>Thread: owned by the partition's agent; not thread-safe.
 */
public final class ProducerStateTable {

    public static final int RETAINED_BATCHES = 5;

    /** A retained batch: its sequences, offsets and durability. */
    public record BatchEntry(int firstSequence, int lastSequence, long baseOffset, long lastOffset,
                             CompletableFuture<Long> durable) {
    }

    /** What to do with a batch. */
    public sealed interface Decision {
    }

    public record Append() implements Decision {
    }

    public record Duplicate(BatchEntry original) implements Decision {
    }

    public record Reject(Errors error, String message) implements Decision {
    }

    private static final Append APPEND = new Append();

    /** One producer as DescribeProducers reports it. */
    public record ProducerSnapshot(long producerId, short epoch, int lastSequence, long lastTimestamp) {
    }

    private static final class ProducerEntry {
        private short epoch;
        private long lastTimestamp = RecordBatch.NO_TIMESTAMP;
        private final ArrayDeque<BatchEntry> batches = new ArrayDeque<>(RETAINED_BATCHES);

        ProducerEntry(short epoch) {
            this.epoch = epoch;
        }
    }

    private final Map<Long, ProducerEntry> producers = new HashMap<>();

    public Decision check(long producerId, short epoch, int firstSequence, int lastSequence) {
        if (producerId == RecordBatch.NO_PRODUCER_ID) {
            return APPEND;
        }
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            return APPEND;
        }
        if (epoch < entry.epoch) {
            return new Reject(Errors.INVALID_PRODUCER_EPOCH, "Producer " + producerId + " epoch " + epoch
                    + " is older than the current epoch " + entry.epoch);
        }
        if (epoch > entry.epoch) {
            return firstSequence == 0 ? APPEND : new Reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER,
                    "Producer " + producerId + " started epoch " + epoch + " at sequence " + firstSequence + ", not 0");
        }
        for (BatchEntry batch : entry.batches) {
            if (batch.firstSequence() == firstSequence && batch.lastSequence() == lastSequence) {
                return new Duplicate(batch);
            }
        }
        if (entry.batches.isEmpty()) {
            return APPEND;
        }
        int expected = nextSequence(entry.batches.peekLast().lastSequence());
        if (firstSequence != expected) {
            return new Reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "Producer " + producerId + " sent sequence "
                    + firstSequence + ", expected " + expected);
        }
        return APPEND;
    }

    /** Remembers a batch just handed to the stream. */
    public void record(long producerId, short epoch, BatchEntry batch) {
        record(producerId, epoch, batch, RecordBatch.NO_TIMESTAMP);
    }

    /** Remembers a batch just handed to the stream, with its max timestamp as stored. */
    public void record(long producerId, short epoch, BatchEntry batch, long maxTimestamp) {
        if (producerId == RecordBatch.NO_PRODUCER_ID) {
            return;
        }
        ProducerEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerEntry(epoch));
        entry.lastTimestamp = Math.max(entry.lastTimestamp, maxTimestamp);
        if (entry.epoch != epoch) {
            entry.epoch = epoch;
            entry.batches.clear();
        }
        entry.batches.addLast(batch);
        while (entry.batches.size() > RETAINED_BATCHES) {
            entry.batches.pollFirst();
        }
    }

    public int size() {
        return producers.size();
    }

    /**
     * The state as of {@code endOffset}, for a {@link PartitionCheckpoint}: each producer with a
     * retained batch ending below it, with those batches (all of its current epoch, since an
     * epoch change forgets the older ones). Batches at or above {@code endOffset} are left to the
     * next leader's scan of the data after the checkpoint.
     */
    List<PartitionCheckpoint.Producer> checkpoint(long endOffset) {
        List<PartitionCheckpoint.Producer> result = new ArrayList<>();
        producers.forEach((id, entry) -> {
            List<PartitionCheckpoint.Batch> batches = new ArrayList<>();
            for (BatchEntry batch : entry.batches) {
                if (batch.lastOffset() < endOffset) {
                    batches.add(new PartitionCheckpoint.Batch(batch.firstSequence(), batch.lastSequence(), batch.baseOffset(),
                            batch.lastOffset()));
                }
            }
            if (!batches.isEmpty()) {
                result.add(new PartitionCheckpoint.Producer(id, entry.epoch, entry.lastTimestamp, batches));
            }
        });
        return result;
    }

    /** Restores the producers of a checkpoint, whose batches are durable. */
    void restore(List<PartitionCheckpoint.Producer> checkpointed) {
        for (PartitionCheckpoint.Producer producer : checkpointed) {
            for (PartitionCheckpoint.Batch batch : producer.batches()) {
                record(producer.producerId(), producer.epoch(), new BatchEntry(batch.firstSequence(), batch.lastSequence(),
                        batch.baseOffset(), batch.lastOffset(), CompletableFuture.completedFuture(batch.baseOffset())),
                        producer.lastTimestamp());
            }
        }
    }

    /** Every known producer with its epoch, last sequence and last timestamp. */
    public List<ProducerSnapshot> snapshot() {
        List<ProducerSnapshot> result = new ArrayList<>(producers.size());
        producers.forEach((id, entry) -> result.add(new ProducerSnapshot(id, entry.epoch,
                entry.batches.isEmpty() ? -1 : entry.batches.peekLast().lastSequence(), entry.lastTimestamp)));
        return result;
    }

    static int nextSequence(int sequence) {
        return sequence == Integer.MAX_VALUE ? 0 : sequence + 1;
    }
}
