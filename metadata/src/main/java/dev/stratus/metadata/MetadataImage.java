package dev.stratus.metadata;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An immutable snapshot of the cluster metadata the broker serves from. A new image replaces
 * the old one as a whole; readers on any thread see a consistent view without locks.
 */
public final class MetadataImage {

    public static final MetadataImage EMPTY = new MetadataImage(0, Map.of());

    private final long version;
    private final Map<String, TopicMetadata> topicsByName;
    private final Map<UUID, TopicMetadata> topicsById;

    public MetadataImage(long version, Map<String, TopicMetadata> topicsByName) {
        this.version = version;
        this.topicsByName = Collections.unmodifiableMap(new LinkedHashMap<>(topicsByName));
        Map<UUID, TopicMetadata> byId = new LinkedHashMap<>();
        topicsByName.values().forEach(t -> byId.put(t.topicId(), t));
        this.topicsById = Collections.unmodifiableMap(byId);
    }

    /** Increases with every change; lets listeners skip images they have already seen. */
    public long version() {
        return version;
    }

    public TopicMetadata topic(String name) {
        return topicsByName.get(name);
    }

    public TopicMetadata topic(UUID topicId) {
        return topicsById.get(topicId);
    }

    public Collection<TopicMetadata> topics() {
        return topicsByName.values();
    }
}
