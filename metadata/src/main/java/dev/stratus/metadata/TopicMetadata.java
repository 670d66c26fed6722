package dev.stratus.metadata;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A topic: its stable id, its partitions (index = partition number) and the configs set on it
 * (only the overrides; defaults come from the broker config).
 */
public record TopicMetadata(String name, UUID topicId, List<PartitionMetadata> partitions, Map<String, String> configs) {

    public TopicMetadata {
        partitions = List.copyOf(partitions);
        configs = Map.copyOf(configs);
    }

    public PartitionMetadata partition(int index) {
        return index >= 0 && index < partitions.size() ? partitions.get(index) : null;
    }
}
