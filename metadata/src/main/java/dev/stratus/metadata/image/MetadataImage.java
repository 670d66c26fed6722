package dev.stratus.metadata.image;

import dev.stratus.metadata.TopicMetadata;
import java.util.Collection;
import java.util.UUID;

/**
 * The cluster metadata as of one point of the metadata log: features, brokers, topics and
 * partitions with their configs, streams, objects, and how far producer ids are handed out.
 * Every node (controller or broker) builds the same image from the same committed records
 * through {@link MetadataDelta}s; an image never changes, so readers on any thread see a
 * consistent view without locks.
 *
 * @param offset the log offset of the last batch applied, -1 for the empty image
 */
public record MetadataImage(long offset, FeaturesImage features, BrokersImage brokers, TopicsImage topicsImage,
                            StreamsImage streams, ObjectsImage objects, long nextProducerId) {

    public static final MetadataImage EMPTY = new MetadataImage(-1, FeaturesImage.EMPTY, BrokersImage.EMPTY,
            TopicsImage.EMPTY, StreamsImage.EMPTY, ObjectsImage.EMPTY, 0);

    /** Increases with every applied batch; lets listeners skip images they have already seen. */
    public long version() {
        return offset;
    }

    public TopicMetadata topic(String name) {
        return topicsImage.topic(name);
    }

    public TopicMetadata topic(UUID topicId) {
        return topicsImage.topic(topicId);
    }

    public Collection<TopicMetadata> topics() {
        return topicsImage.all();
    }

    /** The same metadata at another offset (equality of images ignores nothing, offsets included). */
    MetadataImage at(long newOffset) {
        return new MetadataImage(newOffset, features, brokers, topicsImage, streams, objects, nextProducerId);
    }
}
