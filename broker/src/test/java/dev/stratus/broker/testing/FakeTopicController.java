package dev.stratus.broker.testing;

import dev.stratus.metadata.MetadataErrorCode;
import dev.stratus.metadata.MetadataException;
import dev.stratus.metadata.MetadataImage;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.ProducerIdController;
import dev.stratus.metadata.TopicController;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.config.ConfigOp;
import dev.stratus.metadata.config.TopicConfigs;
import dev.stratus.storage.stream.StreamStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Test-only {@link TopicController}: one "controller" thread applies every change, publishes the
 * new image to listeners, then completes the caller's future, as the contract says.
 */
public final class FakeTopicController implements TopicController, ProducerIdController {

    private final AtomicLong nextProducerId = new AtomicLong();

    @Override
    public CompletableFuture<Long> allocateProducerIds(int count) {
        return CompletableFuture.completedFuture(nextProducerId.getAndAdd(count));
    }


    private final StreamStore store;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-controller");
        t.setDaemon(true);
        return t;
    });
    private final List<Consumer<MetadataImage>> listeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;
    private int broker = -1;

    public FakeTopicController(StreamStore store) {
        this.store = store;
    }

    @Override
    public CompletableFuture<MetadataImage> registerBroker(int brokerId) {
        return CompletableFuture.supplyAsync(() -> {
            broker = brokerId;
            Map<String, TopicMetadata> topics = new LinkedHashMap<>();
            for (TopicMetadata topic : image.topics()) {
                List<PartitionMetadata> partitions = new ArrayList<>();
                for (PartitionMetadata p : topic.partitions()) {
                    partitions.add(new PartitionMetadata(p.topic(), p.partition(), p.streamId(), brokerId, p.leaderEpoch() + 1));
                }
                topics.put(topic.name(), new TopicMetadata(topic.name(), topic.topicId(), partitions, topic.configs()));
            }
            return publish(topics);
        }, thread);
    }

    @Override
    public CompletableFuture<TopicMetadata> createTopic(String name, int partitions, Map<String, String> configs) {
        return CompletableFuture.supplyAsync(() -> {
            if (name == null || name.isEmpty() || !name.matches("[a-zA-Z0-9._-]+")) {
                throw new MetadataException(MetadataErrorCode.INVALID_TOPIC_NAME, "bad name " + name);
            }
            if (partitions < 1) {
                throw new MetadataException(MetadataErrorCode.INVALID_PARTITIONS, "partitions " + partitions);
            }
            if (image.topic(name) != null) {
                throw new MetadataException(MetadataErrorCode.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
            }
            TopicConfigs.validate(configs);
            List<PartitionMetadata> parts = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                long streamId = store.createStream().join();
                parts.add(new PartitionMetadata(name, i, streamId, broker, 0));
            }
            TopicMetadata topic = new TopicMetadata(name, UUID.randomUUID(), parts, configs);
            Map<String, TopicMetadata> topics = new LinkedHashMap<>(topicsByName());
            topics.put(name, topic);
            publish(topics);
            return topic;
        }, thread);
    }

    @Override
    public CompletableFuture<TopicMetadata> alterTopicConfigs(String name, List<ConfigOp> ops, boolean replaceAll,
                                                              boolean validateOnly) {
        return CompletableFuture.supplyAsync(() -> {
            TopicMetadata topic = existing(name);
            Map<String, String> altered = ConfigOp.applyAll(replaceAll ? Map.of() : topic.configs(), ops);
            TopicConfigs.validate(altered);
            TopicMetadata result = new TopicMetadata(name, topic.topicId(), topic.partitions(), altered);
            if (!validateOnly) {
                Map<String, TopicMetadata> topics = new LinkedHashMap<>(topicsByName());
                topics.put(name, result);
                publish(topics);
            }
            return result;
        }, thread);
    }

    @Override
    public CompletableFuture<TopicMetadata> createPartitions(String name, int totalCount, boolean validateOnly) {
        return CompletableFuture.supplyAsync(() -> {
            TopicMetadata topic = existing(name);
            if (totalCount <= topic.partitions().size()) {
                throw new MetadataException(MetadataErrorCode.INVALID_PARTITIONS, "Topic already has "
                        + topic.partitions().size() + " partitions.");
            }
            if (validateOnly) {
                return topic;
            }
            List<PartitionMetadata> parts = new ArrayList<>(topic.partitions());
            for (int i = topic.partitions().size(); i < totalCount; i++) {
                parts.add(new PartitionMetadata(name, i, store.createStream().join(), broker, 0));
            }
            TopicMetadata grown = new TopicMetadata(name, topic.topicId(), parts, topic.configs());
            Map<String, TopicMetadata> topics = new LinkedHashMap<>(topicsByName());
            topics.put(name, grown);
            publish(topics);
            return grown;
        }, thread);
    }

    private TopicMetadata existing(String name) {
        TopicMetadata topic = image.topic(name);
        if (topic == null) {
            throw new MetadataException(MetadataErrorCode.UNKNOWN_TOPIC, "Topic '" + name + "' does not exist.");
        }
        return topic;
    }

    @Override
    public CompletableFuture<Void> deleteTopic(String name) {
        return CompletableFuture.runAsync(() -> {
            if (image.topic(name) == null) {
                throw new MetadataException(MetadataErrorCode.UNKNOWN_TOPIC, "no topic " + name);
            }
            Map<String, TopicMetadata> topics = new LinkedHashMap<>(topicsByName());
            topics.remove(name);
            publish(topics);
        }, thread);
    }

    @Override
    public MetadataImage image() {
        return image;
    }

    @Override
    public void subscribe(Consumer<MetadataImage> listener) {
        try {
            thread.submit(() -> {
                listeners.add(listener);
                listener.accept(image);
            }).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, TopicMetadata> topicsByName() {
        Map<String, TopicMetadata> topics = new LinkedHashMap<>();
        image.topics().forEach(t -> topics.put(t.name(), t));
        return topics;
    }

    private MetadataImage publish(Map<String, TopicMetadata> topics) {
        image = new MetadataImage(image.version() + 1, topics);
        for (Consumer<MetadataImage> listener : listeners) {
            listener.accept(image);
        }
        return image;
    }
}
