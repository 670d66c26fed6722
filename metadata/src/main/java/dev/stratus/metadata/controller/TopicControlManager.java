package dev.stratus.metadata.controller;

import dev.stratus.metadata.MetadataErrorCode;
import dev.stratus.metadata.MetadataException;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.TopicNames;
import dev.stratus.metadata.config.ConfigOp;
import dev.stratus.metadata.config.TopicConfigs;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.metadata.record.PartitionRecord;
import dev.stratus.metadata.record.RemoveStreamRecord;
import dev.stratus.metadata.record.RemoveTopicRecord;
import dev.stratus.metadata.record.StreamRecord;
import dev.stratus.metadata.record.TopicRecord;
import dev.stratus.storage.metadata.StreamMetadata.StreamState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Topics, their partitions and their config overrides: each operation validates a request
 * against an image and returns the records that carry it out (a topic, one stream and one
 * partition per partition, removals). Pure: state comes only from the image, topic ids from the
 * given supplier, so a test can make them deterministic.
 */
final class TopicControlManager {

    /** Kafka's own ceiling on partitions per topic creation is far higher; this keeps one request sane. */
    static final int MAX_PARTITIONS = 10_000;

    private final Supplier<UUID> topicIds;

    TopicControlManager(Supplier<UUID> topicIds) {
        this.topicIds = topicIds;
    }

    ControllerResult<TopicMetadata> createTopic(MetadataImage image, String name, int partitions, Map<String, String> configs) {
        String invalid = TopicNames.invalidReason(name);
        if (invalid != null) {
            throw new MetadataException(MetadataErrorCode.INVALID_TOPIC_NAME, invalid);
        }
        if (image.topic(name) != null) {
            throw new MetadataException(MetadataErrorCode.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new MetadataException(MetadataErrorCode.INVALID_PARTITIONS,
                    "Number of partitions must be between 1 and " + MAX_PARTITIONS + ", got " + partitions + ".");
        }
        TopicConfigs.validate(configs);
        UUID topicId = topicIds.get();
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new TopicRecord(name, topicId, configs));
        addPartitions(image, topicId, 0, partitions, records);
        return ControllerResult.thenRead(records, next -> next.topic(topicId));
    }

    ControllerResult<TopicMetadata> alterTopicConfigs(MetadataImage image, String name, List<ConfigOp> ops,
                                                      boolean replaceAll, boolean validateOnly) {
        TopicMetadata topic = existing(image, name);
        Map<String, String> altered = ConfigOp.applyAll(replaceAll ? Map.of() : topic.configs(), ops);
        TopicConfigs.validate(altered);
        TopicMetadata result = new TopicMetadata(name, topic.topicId(), topic.partitions(), altered);
        if (validateOnly || altered.equals(topic.configs())) {
            return ControllerResult.none(result);
        }
        return ControllerResult.thenRead(List.of(new TopicRecord(name, topic.topicId(), altered)),
                next -> next.topic(topic.topicId()));
    }

    ControllerResult<TopicMetadata> createPartitions(MetadataImage image, String name, int totalCount, boolean validateOnly) {
        TopicMetadata topic = existing(image, name);
        int current = topic.partitions().size();
        if (totalCount < current) {
            throw new MetadataException(MetadataErrorCode.INVALID_PARTITIONS, "Topic currently has " + current
                    + " partitions, which is higher than the requested " + totalCount + ".");
        }
        if (totalCount == current) {
            throw new MetadataException(MetadataErrorCode.INVALID_PARTITIONS, "Topic already has " + current + " partitions.");
        }
        if (totalCount - current > MAX_PARTITIONS) {
            throw new MetadataException(MetadataErrorCode.INVALID_PARTITIONS,
                    "At most " + MAX_PARTITIONS + " partitions can be added at once, asked for " + (totalCount - current) + ".");
        }
        if (validateOnly) {
            return ControllerResult.none(topic);
        }
        List<MetadataRecord> records = new ArrayList<>();
        addPartitions(image, topic.topicId(), current, totalCount, records);
        return ControllerResult.thenRead(records, next -> next.topic(topic.topicId()));
    }

    ControllerResult<Void> deleteTopic(MetadataImage image, String name) {
        TopicMetadata topic = existing(image, name);
        List<MetadataRecord> records = new ArrayList<>();
        for (PartitionMetadata p : topic.partitions()) {
            records.add(new RemoveStreamRecord(p.streamId()));
            if (p.checkpointStreamId() != PartitionMetadata.NO_CHECKPOINT_STREAM) {
                records.add(new RemoveStreamRecord(p.checkpointStreamId()));
            }
        }
        records.add(new RemoveTopicRecord(topic.topicId()));
        return ControllerResult.of(records, null);
    }

    /**
     * Partitions {@code [from, to)} of the topic, each with two new closed streams (its data and
     * its checkpoints), placed on the brokers.
     */
    private static void addPartitions(MetadataImage image, UUID topicId, int from, int to, List<MetadataRecord> records) {
        List<Integer> leaders = PartitionPlacement.leaders(image, to - from);
        long streamId = image.streams().nextStreamId();
        for (int i = from; i < to; i++, streamId += 2) {
            records.add(new StreamRecord(streamId, 0, 0, 0, StreamState.CLOSED));
            records.add(new StreamRecord(streamId + 1, 0, 0, 0, StreamState.CLOSED));
            records.add(new PartitionRecord(topicId, i, streamId, leaders.get(i - from), 0, streamId + 1,
                    PartitionMetadata.NOT_MOVING));
        }
    }

    private static TopicMetadata existing(MetadataImage image, String name) {
        TopicMetadata topic = image.topic(name);
        if (topic == null) {
            throw new MetadataException(MetadataErrorCode.UNKNOWN_TOPIC, "Topic '" + name + "' does not exist.");
        }
        return topic;
    }
}
