package dev.stratus.metadata.record;

import java.util.UUID;

/**
 * A partition was created or changed leader; {@code leaderEpoch} only grows. Its data lives in
 * stream {@code streamId}, its checkpoints in stream {@code checkpointStreamId} (-1 for a
 * partition created before checkpoints existed).
 */
public record PartitionRecord(UUID topicId, int partition, long streamId, int leaderId, int leaderEpoch,
                              long checkpointStreamId) implements MetadataRecord {
}
