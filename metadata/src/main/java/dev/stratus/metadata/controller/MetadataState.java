package dev.stratus.metadata.controller;

import dev.stratus.metadata.MetadataImage;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.record.BrokerRecord;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.metadata.record.NextObjectIdRecord;
import dev.stratus.metadata.record.ObjectRecord;
import dev.stratus.metadata.record.ObjectsMarkedRecord;
import dev.stratus.metadata.record.ObjectsPreparedRecord;
import dev.stratus.metadata.record.ObjectsRemovedRecord;
import dev.stratus.metadata.record.PartitionRecord;
import dev.stratus.metadata.record.ProducerIdsRecord;
import dev.stratus.metadata.record.RemoveStreamRecord;
import dev.stratus.metadata.record.RemoveTopicRecord;
import dev.stratus.metadata.record.StreamRecord;
import dev.stratus.metadata.record.TopicRecord;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.StreamMetadata;
import dev.stratus.storage.metadata.StreamOffsetRange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The controller's mutable metadata, changed only by {@link #apply(MetadataRecord)}. Owned by
 * the controller thread; nothing else reads it (others read published {@link MetadataImage}s).
 */
final class MetadataState {

    private final Map<UUID, TopicState> topicsById = new LinkedHashMap<>();
    private final Map<String, UUID> topicIdsByName = new HashMap<>();
    private final Map<Long, StreamMetadata> streams = new HashMap<>();
    private final Map<Long, ObjectMetadata> objects = new HashMap<>();
    /** Per stream: the objects holding its data, keyed by the start offset of the stream's range. */
    private final Map<Long, NavigableMap<Long, ObjectMetadata>> objectsByStream = new HashMap<>();
    /** Prepared object ids not yet committed: id to the time its prepare expires. */
    private final NavigableMap<Long, Long> preparedUntilMs = new TreeMap<>();
    /** Objects marked for deletion, not yet forgotten: id to the time of the mark. */
    private final NavigableMap<Long, Long> markedAtMs = new TreeMap<>();
    private final Map<Integer, Long> brokerEpochs = new HashMap<>();
    private long nextStreamId;
    private long nextObjectId;
    private long nextProducerId;
    private long topicsVersion;

    void apply(MetadataRecord record) {
        if (record instanceof TopicRecord r) {
            TopicState existing = topicsById.get(r.topicId());
            TopicState topic = new TopicState(r.name(), r.topicId(), r.configs(),
                    existing == null ? new TreeMap<>() : existing.partitions);
            topicsById.put(r.topicId(), topic);
            topicIdsByName.put(r.name(), r.topicId());
            topicsVersion++;
        } else if (record instanceof RemoveTopicRecord r) {
            TopicState removed = topicsById.remove(r.topicId());
            if (removed != null) {
                topicIdsByName.remove(removed.name);
            }
            topicsVersion++;
        } else if (record instanceof PartitionRecord r) {
            TopicState topic = topicsById.get(r.topicId());
            if (topic == null) {
                throw new IllegalStateException("partition record for unknown topic " + r.topicId());
            }
            topic.partitions.put(r.partition(), r);
            topicsVersion++;
        } else if (record instanceof StreamRecord r) {
            streams.put(r.streamId(), new StreamMetadata(r.streamId(), r.epoch(), r.startOffset(), r.endOffset(), r.state()));
            nextStreamId = Math.max(nextStreamId, r.streamId() + 1);
        } else if (record instanceof RemoveStreamRecord r) {
            streams.remove(r.streamId());
            objectsByStream.remove(r.streamId());
        } else if (record instanceof ObjectRecord r) {
            ObjectMetadata object = new ObjectMetadata(r.objectId(), r.sizeBytes(), r.ranges(), r.committedAtMs(), r.type());
            objects.put(r.objectId(), object);
            preparedUntilMs.remove(r.objectId());
            for (StreamOffsetRange range : r.ranges()) {
                objectsByStream.computeIfAbsent(range.streamId(), id -> new TreeMap<>()).put(range.startOffset(), object);
            }
            nextObjectId = Math.max(nextObjectId, r.objectId() + 1);
        } else if (record instanceof NextObjectIdRecord r) {
            nextObjectId = Math.max(nextObjectId, r.nextObjectId());
        } else if (record instanceof ObjectsPreparedRecord r) {
            preparedUntilMs.values().removeIf(untilMs -> untilMs < r.preparedAtMs());
            for (long id = r.firstObjectId(); id < r.firstObjectId() + r.count(); id++) {
                preparedUntilMs.put(id, r.expiresAtMs());
            }
            nextObjectId = Math.max(nextObjectId, r.firstObjectId() + r.count());
        } else if (record instanceof ObjectsMarkedRecord r) {
            for (long id : r.objectIds()) {
                ObjectMetadata object = objects.remove(id);
                if (object != null) {
                    for (StreamOffsetRange range : object.ranges()) {
                        NavigableMap<Long, ObjectMetadata> byStart = objectsByStream.get(range.streamId());
                        if (byStart != null) {
                            byStart.remove(range.startOffset(), object);
                        }
                    }
                }
                preparedUntilMs.remove(id);
                markedAtMs.put(id, r.markedAtMs());
            }
        } else if (record instanceof ObjectsRemovedRecord r) {
            r.objectIds().forEach(markedAtMs::remove);
        } else if (record instanceof BrokerRecord r) {
            brokerEpochs.put(r.brokerId(), r.brokerEpoch());
        } else if (record instanceof ProducerIdsRecord r) {
            nextProducerId = Math.max(nextProducerId, r.nextProducerId());
        }
    }

    MetadataImage image() {
        Map<String, TopicMetadata> topics = new LinkedHashMap<>();
        for (TopicState topic : topicsById.values()) {
            List<PartitionMetadata> partitions = new ArrayList<>(topic.partitions.size());
            for (PartitionRecord p : topic.partitions.values()) {
                partitions.add(new PartitionMetadata(topic.name, p.partition(), p.streamId(), p.leaderId(), p.leaderEpoch()));
            }
            topics.put(topic.name, new TopicMetadata(topic.name, topic.id, partitions, topic.configs));
        }
        return new MetadataImage(topicsVersion, topics);
    }

    long topicsVersion() {
        return topicsVersion;
    }

    UUID topicId(String name) {
        return topicIdsByName.get(name);
    }

    Collection<PartitionRecord> partitionsOf(UUID topicId) {
        TopicState topic = topicsById.get(topicId);
        return topic == null ? List.of() : topic.partitions.values();
    }

    Collection<UUID> topicIds() {
        return topicsById.keySet();
    }

    StreamMetadata stream(long streamId) {
        return streams.get(streamId);
    }

    Collection<StreamMetadata> streams() {
        return streams.values();
    }

    ObjectMetadata object(long objectId) {
        return objects.get(objectId);
    }

    /** Committed objects not marked for deletion, in id order. */
    List<ObjectMetadata> liveObjects() {
        return objects.values().stream().sorted(Comparator.comparingLong(ObjectMetadata::objectId)).toList();
    }

    boolean isMarked(long objectId) {
        return markedAtMs.containsKey(objectId);
    }

    NavigableMap<Long, Long> markedObjects() {
        return markedAtMs;
    }

    boolean isPrepared(long objectId, long nowMs) {
        Long untilMs = preparedUntilMs.get(objectId);
        return untilMs != null && untilMs >= nowMs;
    }

    NavigableMap<Long, ObjectMetadata> objectsOf(long streamId) {
        return objectsByStream.getOrDefault(streamId, new TreeMap<>());
    }

    long nextStreamId() {
        return nextStreamId;
    }

    long nextObjectId() {
        return nextObjectId;
    }

    long nextProducerId() {
        return nextProducerId;
    }

    long brokerEpoch(int brokerId) {
        return brokerEpochs.getOrDefault(brokerId, -1L);
    }

    /** The broker that leads new partitions: the single registered one, or -1 before any registers. */
    int anyBroker() {
        return brokerEpochs.keySet().stream().mapToInt(Integer::intValue).min().orElse(-1);
    }

    private static final class TopicState {
        final String name;
        final UUID id;
        final Map<String, String> configs;
        final NavigableMap<Integer, PartitionRecord> partitions;

        TopicState(String name, UUID id, Map<String, String> configs, NavigableMap<Integer, PartitionRecord> partitions) {
            this.name = name;
            this.id = id;
            this.configs = configs;
            this.partitions = partitions;
        }
    }
}
