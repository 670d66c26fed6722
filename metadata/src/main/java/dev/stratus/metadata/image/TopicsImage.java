package dev.stratus.metadata.image;

import dev.stratus.metadata.TopicMetadata;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Every topic with its partitions and config overrides, by id and by name, in creation order. Immutable. */
public final class TopicsImage {

    public static final TopicsImage EMPTY = new TopicsImage(new LinkedHashMap<>());

    private final Map<UUID, TopicMetadata> byId;
    private final Map<String, TopicMetadata> byName;

    TopicsImage(LinkedHashMap<UUID, TopicMetadata> byId) {
        this.byId = Collections.unmodifiableMap(byId);
        Map<String, TopicMetadata> names = new LinkedHashMap<>();
        byId.values().forEach(t -> names.put(t.name(), t));
        this.byName = Collections.unmodifiableMap(names);
    }

    public TopicMetadata topic(String name) {
        return byName.get(name);
    }

    public TopicMetadata topic(UUID topicId) {
        return byId.get(topicId);
    }

    public Collection<TopicMetadata> all() {
        return byName.values();
    }

    Map<UUID, TopicMetadata> byId() {
        return byId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicsImage other && byId.equals(other.byId);
    }

    @Override
    public int hashCode() {
        return byId.hashCode();
    }
}
