package dev.stratus.broker.partition;

import java.util.UUID;

/**
 * Identifies a partition by topic id rather than name, so that a topic deleted and re-created
 * under the same name is a different partition.
 */
public record PartitionKey(UUID topicId, int partition) {
}
