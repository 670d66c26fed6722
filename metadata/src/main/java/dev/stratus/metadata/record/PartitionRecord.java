package dev.stratus.metadata.record;

import dev.stratus.metadata.PartitionMetadata;
import java.util.UUID;

/**
 * A partition was created, changed leader, or started or ended a move; {@code leaderEpoch} only
 * grows. Its data lives in stream {@code streamId}, its checkpoints in stream
 * {@code checkpointStreamId} (-1 for a partition created before checkpoints existed). While
 * {@code movingTo} names a broker (-1: none), the leader hands the partition over to it.
 */
public record PartitionRecord(UUID topicId, int partition, long streamId, int leaderId, int leaderEpoch,
                              long checkpointStreamId, int movingTo) implements MetadataRecord {

    /** The full state of {@code partition} of topic {@code topicId}. */
    public static PartitionRecord of(UUID topicId, PartitionMetadata partition) {
        return new PartitionRecord(topicId, partition.partition(), partition.streamId(), partition.leaderId(),
                partition.leaderEpoch(), partition.checkpointStreamId(), partition.movingTo());
    }
}
