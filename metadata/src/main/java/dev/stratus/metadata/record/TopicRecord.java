package dev.stratus.metadata.record;

import java.util.Map;
import java.util.UUID;

/** A topic was created (or its configs replaced). */
public record TopicRecord(String name, UUID topicId, Map<String, String> configs) implements MetadataRecord {

    public TopicRecord {
        configs = Map.copyOf(configs);
    }
}
