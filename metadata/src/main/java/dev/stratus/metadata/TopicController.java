package dev.stratus.metadata;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The controller operations a broker calls for topics and leadership. The in-process
 * {@code LocalController} implements it today; a Ratis quorum client will later. Every change
 * is a record; the returned future completes once the record is durable and applied, and the
 * new {@link MetadataImage} has been published to listeners.
 */
public interface TopicController {

    /**
     * Registers a broker and makes it leader of every partition, bumping each partition's
     * leader epoch so that any earlier incarnation of the broker is fenced.
     */
    CompletableFuture<MetadataImage> registerBroker(int brokerId);

    /**
     * Creates a topic with {@code partitions} partitions, one new stream each, led by the
     * registered broker. Fails with TOPIC_ALREADY_EXISTS, INVALID_TOPIC_NAME, INVALID_PARTITIONS.
     */
    CompletableFuture<TopicMetadata> createTopic(String name, int partitions, Map<String, String> configs);

    /** Deletes a topic and its streams. Fails with UNKNOWN_TOPIC. */
    CompletableFuture<Void> deleteTopic(String name);

    /** The latest published image. */
    MetadataImage image();

    /**
     * Calls {@code listener} with the current image now and with every later image, in order,
     * on the controller's thread. Listeners must not block.
     */
    void subscribe(Consumer<MetadataImage> listener);
}
