package dev.stratus.metadata.record;

import java.util.UUID;

/** A partition was created or changed leader; {@code leaderEpoch} only grows. */
public record PartitionRecord(UUID topicId, int partition, long streamId, int leaderId, int leaderEpoch)
        implements MetadataRecord {
}
