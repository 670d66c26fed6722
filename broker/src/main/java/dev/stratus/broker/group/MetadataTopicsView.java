package dev.stratus.broker.group;

import dev.stratus.broker.api.TopicIds;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;

/** {@link TopicsView} over the broker's current metadata image. Thread-safe: each call reads the latest image. */
final class MetadataTopicsView implements TopicsView {

    private final Supplier<MetadataImage> image;

    MetadataTopicsView(Supplier<MetadataImage> image) {
        this.image = image;
    }

    @Override
    public Topic byName(String name) {
        return topic(image.get().topic(name));
    }

    @Override
    public Topic byId(Uuid id) {
        return id == null || Uuid.ZERO_UUID.equals(id) ? null : topic(image.get().topic(TopicIds.fromKafka(id)));
    }

    @Override
    public Collection<Topic> all() {
        List<Topic> topics = new ArrayList<>();
        for (TopicMetadata metadata : image.get().topics()) {
            topics.add(topic(metadata));
        }
        return topics;
    }

    private static Topic topic(TopicMetadata metadata) {
        return metadata == null ? null
                : new Topic(metadata.name(), TopicIds.toKafka(metadata.topicId()), metadata.partitions().size());
    }
}
