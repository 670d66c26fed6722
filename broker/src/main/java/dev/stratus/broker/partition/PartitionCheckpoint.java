package dev.stratus.broker.partition;

import java.util.List;

/**
 * What a partition's next leader needs to serve it without reading its data: the state derived
 * from everything below {@code endOffset} of the partition's stream. Written to the partition's
 * checkpoint stream when the leader closes the partition and periodically while it leads
 * ({@link PartitionCheckpointFormat} is the wire form); the next leader reads the last one and
 * scans only the data after {@code endOffset}, so a partition opens in a time that does not
 * depend on its size.
 *
 * <p>Invariant: everything here describes durable data: {@code endOffset} is at most the
 * stream's confirmed offset when the checkpoint was taken, every producer batch and index entry
 * ends at or below it, and every epoch starts below it.
 *
 * @param endOffset   the first offset of the partition's stream not described
 * @param writtenAtMs when the leader took it
 * @param epochs      the leader-epoch history, oldest first
 * @param producers   the idempotent producers and their retained batches
 * @param index       the batch index (offset ranges with their newest timestamp and size), oldest first
 */
record PartitionCheckpoint(long endOffset, long writtenAtMs, List<LeaderEpochHistory.Entry> epochs,
                           List<Producer> producers, List<IndexEntry> index) {

    PartitionCheckpoint {
        epochs = List.copyOf(epochs);
        producers = List.copyOf(producers);
        index = List.copyOf(index);
    }

    /** One producer: its epoch, newest timestamp and the batches retained for duplicate detection, oldest first. */
    record Producer(long producerId, short epoch, long lastTimestamp, List<Batch> batches) {
        Producer {
            batches = List.copyOf(batches);
        }
    }

    /** A retained producer batch: its sequences and offsets. */
    record Batch(int firstSequence, int lastSequence, long baseOffset, long lastOffset) {
    }

    /** One {@link BatchIndex} entry. */
    record IndexEntry(long baseOffset, long nextOffset, long maxTimestamp, long sizeBytes) {
    }
}
