package dev.stratus.metadata;

import dev.stratus.metadata.config.ConfigOp;
import java.util.List;
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
     * registered broker. Fails with TOPIC_ALREADY_EXISTS, INVALID_TOPIC_NAME, INVALID_PARTITIONS,
     * INVALID_CONFIG (an unknown topic config name or a bad value).
     */
    CompletableFuture<TopicMetadata> createTopic(String name, int partitions, Map<String, String> configs);

    /**
     * Changes a topic's config overrides: {@code ops} apply in order to the current overrides, or
     * to none when {@code replaceAll} (legacy AlterConfigs). The result is validated as a whole
     * (INVALID_CONFIG for an unknown name or a bad value, see {@code TopicConfigs}); with
     * {@code validateOnly} nothing is written. Completes with the topic as it is (or would be).
     * Fails with UNKNOWN_TOPIC, INVALID_CONFIG.
     */
    CompletableFuture<TopicMetadata> alterTopicConfigs(String name, List<ConfigOp> ops, boolean replaceAll,
                                                       boolean validateOnly);

    /**
     * Grows a topic to {@code totalCount} partitions, each new one with a new stream, led by the
     * registered broker; with {@code validateOnly} nothing is written. Fails with UNKNOWN_TOPIC,
     * INVALID_PARTITIONS (not more than today, or too many at once).
     */
    CompletableFuture<TopicMetadata> createPartitions(String name, int totalCount, boolean validateOnly);

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
