package dev.stratus.metadata.image;

import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.record.BrokerDrainRecord;
import dev.stratus.metadata.record.BrokerFencingRecord;
import dev.stratus.metadata.record.BrokerRecord;
import dev.stratus.metadata.record.FeatureLevelRecord;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.metadata.record.NextObjectIdRecord;
import dev.stratus.metadata.record.NextStreamIdRecord;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The changes that a run of committed records makes to a base {@link MetadataImage}: replay
 * records in log order, then {@link #apply} builds the next image. Only the domains the records
 * touch are copied. The delta also says what changed (topics changed or deleted, brokers,
 * streams, objects) so that a broker reacts to the change instead of diffing whole images.
 *
 * <p>Replaying the same records onto the same image always gives the same image: this is what
 * keeps every node's image equal. A delta is applied once (the new image shares what it built).
 * Single-threaded: owned by whoever replays into it.
 */
public final class MetadataDelta {

    private final MetadataImage base;

    private Map<String, Short> features;
    private TreeMap<Integer, BrokerRegistration> brokers;
    private LinkedHashMap<UUID, TopicMetadata> topics;
    /** Topics with changed partitions or configs: their partitions, rebuilt at apply. */
    private final Map<UUID, List<PartitionMetadata>> partitionsOf = new HashMap<>();
    private final Set<UUID> changedTopics = new LinkedHashSet<>();
    private final Map<UUID, TopicMetadata> deletedTopics = new LinkedHashMap<>();
    private HashMap<Long, StreamMetadata> streams;
    private long nextStreamId;
    private final Set<Long> changedStreams = new HashSet<>();
    private HashMap<Long, ObjectMetadata> objects;
    private HashMap<Long, NavigableMap<Long, ObjectMetadata>> byStream;
    private final Set<Long> copiedStreamIndexes = new HashSet<>();
    private TreeMap<Long, Long> preparedUntilMs;
    private TreeMap<Long, Long> markedAtMs;
    private long nextObjectId;
    private long nextProducerId;
    private int replayed;
    private boolean applied;

    public MetadataDelta(MetadataImage base) {
        this.base = base;
        this.nextStreamId = base.streams().nextStreamId();
        this.nextObjectId = base.objects().nextObjectId();
        this.nextProducerId = base.nextProducerId();
    }

    public MetadataImage base() {
        return base;
    }

    /** Replays every record in order. */
    public MetadataDelta replayAll(List<? extends MetadataRecord> records) {
        records.forEach(this::replay);
        return this;
    }

    public void replay(MetadataRecord record) {
        if (applied) {
            throw new IllegalStateException("a delta is applied once; replay into a new delta over the new image");
        }
        replayed++;
        if (record instanceof FeatureLevelRecord r) {
            replayFeature(r);
        } else if (record instanceof BrokerRecord r) {
            brokers().put(r.brokerId(), new BrokerRegistration(r.brokerId(), r.brokerEpoch(), r.incarnationId(), r.host(),
                    r.port(), r.rack(), false, false));
        } else if (record instanceof BrokerFencingRecord r) {
            BrokerRegistration broker = brokers().get(r.brokerId());
            if (broker != null && broker.epoch() == r.brokerEpoch()) {
                brokers.put(r.brokerId(), new BrokerRegistration(broker.brokerId(), broker.epoch(), broker.incarnationId(),
                        broker.host(), broker.port(), broker.rack(), r.fenced(), broker.draining()));
            }
        } else if (record instanceof BrokerDrainRecord r) {
            BrokerRegistration broker = brokers().get(r.brokerId());
            if (broker != null && broker.epoch() == r.brokerEpoch()) {
                brokers.put(r.brokerId(), new BrokerRegistration(broker.brokerId(), broker.epoch(), broker.incarnationId(),
                        broker.host(), broker.port(), broker.rack(), broker.fenced(), true));
            }
        } else if (record instanceof TopicRecord r) {
            replayTopic(r);
        } else if (record instanceof RemoveTopicRecord r) {
            replayRemoveTopic(r);
        } else if (record instanceof PartitionRecord r) {
            replayPartition(r);
        } else if (record instanceof StreamRecord r) {
            streams().put(r.streamId(), new StreamMetadata(r.streamId(), r.epoch(), r.startOffset(), r.endOffset(), r.state()));
            nextStreamId = Math.max(nextStreamId, r.streamId() + 1);
            changedStreams.add(r.streamId());
        } else if (record instanceof NextStreamIdRecord r) {
            nextStreamId = Math.max(nextStreamId, r.nextStreamId());
        } else if (record instanceof RemoveStreamRecord r) {
            streams().remove(r.streamId());
            byStream().remove(r.streamId());
            changedStreams.add(r.streamId());
        } else if (record instanceof ObjectRecord r) {
            replayObject(r);
        } else if (record instanceof NextObjectIdRecord r) {
            nextObjectId = Math.max(nextObjectId, r.nextObjectId());
        } else if (record instanceof ObjectsPreparedRecord r) {
            TreeMap<Long, Long> prepared = prepared();
            prepared.values().removeIf(untilMs -> untilMs < r.preparedAtMs());
            for (long id = r.firstObjectId(); id < r.firstObjectId() + r.count(); id++) {
                prepared.put(id, r.expiresAtMs());
            }
            nextObjectId = Math.max(nextObjectId, r.firstObjectId() + r.count());
        } else if (record instanceof ObjectsMarkedRecord r) {
            replayMarked(r);
        } else if (record instanceof ObjectsRemovedRecord r) {
            r.objectIds().forEach(marked()::remove);
        } else if (record instanceof ProducerIdsRecord r) {
            nextProducerId = Math.max(nextProducerId, r.nextProducerId());
        } else {
            throw new IllegalArgumentException("unknown record " + record);
        }
    }

    /** The next image, at log offset {@code offset}. */
    public MetadataImage apply(long offset) {
        if (applied) {
            throw new IllegalStateException("delta already applied");
        }
        applied = true;
        FeaturesImage newFeatures = features == null ? base.features() : new FeaturesImage(features);
        BrokersImage newBrokers = brokers == null ? base.brokers() : new BrokersImage(brokers);
        TopicsImage newTopics = base.topicsImage();
        if (topics != null) {
            for (Map.Entry<UUID, List<PartitionMetadata>> entry : partitionsOf.entrySet()) {
                TopicMetadata topic = topics.get(entry.getKey());
                if (topic != null) {
                    topics.put(topic.topicId(), new TopicMetadata(topic.name(), topic.topicId(), entry.getValue(), topic.configs()));
                }
            }
            newTopics = new TopicsImage(topics);
        }
        StreamsImage newStreams = streams == null && nextStreamId == base.streams().nextStreamId() ? base.streams()
                : new StreamsImage(streams == null ? base.streams().map() : streams, nextStreamId);
        ObjectsImage baseObjects = base.objects();
        ObjectsImage newObjects = objects == null && byStream == null && preparedUntilMs == null && markedAtMs == null
                && nextObjectId == baseObjects.nextObjectId() ? baseObjects
                : new ObjectsImage(objects == null ? baseObjects.objects() : objects,
                byStream == null ? baseObjects.byStream() : frozenIndexes(),
                preparedUntilMs == null ? baseObjects.preparedUntilMs() : preparedUntilMs,
                markedAtMs == null ? baseObjects.markedAtMs() : markedAtMs, nextObjectId);
        return new MetadataImage(offset, newFeatures, newBrokers, newTopics, newStreams, newObjects, nextProducerId);
    }

    // ---- what changed ----

    /** Topics created or changed (partitions, leaders, configs), in the order first touched; not deleted ones. */
    public Set<UUID> changedTopics() {
        return Collections.unmodifiableSet(changedTopics);
    }

    /** Topics of the base image deleted, as they were in the base image. */
    public Map<UUID, TopicMetadata> deletedTopics() {
        return Collections.unmodifiableMap(deletedTopics);
    }

    public boolean brokersChanged() {
        return brokers != null;
    }

    /** Streams created, changed or removed. */
    public Set<Long> changedStreams() {
        return Collections.unmodifiableSet(changedStreams);
    }

    public boolean objectsChanged() {
        return objects != null || byStream != null || preparedUntilMs != null || markedAtMs != null;
    }

    public boolean isEmpty() {
        return replayed == 0;
    }

    // ---- replay of one domain ----

    private void replayFeature(FeatureLevelRecord r) {
        if (features == null) {
            features = new TreeMap<>(base.features().all());
        }
        if (r.level() == 0) {
            features.remove(r.name());
        } else {
            features.put(r.name(), r.level());
        }
    }

    private void replayTopic(TopicRecord r) {
        LinkedHashMap<UUID, TopicMetadata> all = topics();
        TopicMetadata existing = all.get(r.topicId());
        List<PartitionMetadata> partitions = existing == null ? new ArrayList<>() : partitionsOf(existing);
        all.put(r.topicId(), new TopicMetadata(r.name(), r.topicId(), List.of(), r.configs()));
        partitionsOf.put(r.topicId(), partitions);
        changedTopics.add(r.topicId());
    }

    private void replayRemoveTopic(RemoveTopicRecord r) {
        topics().remove(r.topicId());
        partitionsOf.remove(r.topicId());
        changedTopics.remove(r.topicId());
        TopicMetadata before = base.topicsImage().topic(r.topicId());
        if (before != null) {
            deletedTopics.put(r.topicId(), before);
        }
    }

    private void replayPartition(PartitionRecord r) {
        TopicMetadata topic = topics().get(r.topicId());
        if (topic == null) {
            throw new IllegalStateException("partition record for unknown topic " + r.topicId());
        }
        List<PartitionMetadata> partitions = partitionsOf(topic);
        PartitionMetadata partition = new PartitionMetadata(topic.name(), r.partition(), r.streamId(), r.leaderId(),
                r.leaderEpoch(), r.checkpointStreamId(), r.movingTo());
        if (r.partition() == partitions.size()) {
            partitions.add(partition);
        } else if (r.partition() >= 0 && r.partition() < partitions.size()) {
            partitions.set(r.partition(), partition);
        } else {
            throw new IllegalStateException("partition " + r.partition() + " of topic " + topic.name() + " with "
                    + partitions.size() + " partitions");
        }
        changedTopics.add(r.topicId());
    }

    private void replayObject(ObjectRecord r) {
        ObjectMetadata object = new ObjectMetadata(r.objectId(), r.sizeBytes(), r.ranges(), r.committedAtMs(), r.type());
        objects().put(r.objectId(), object);
        if (preparedUntilMs != null || base.objects().preparedUntilMs().containsKey(r.objectId())) {
            prepared().remove(r.objectId());
        }
        for (StreamOffsetRange range : r.ranges()) {
            // Only streams that exist index their ranges: a deleted stream's data is garbage, and
            // a snapshot replayed later must build the same index.
            if (streams != null ? streams.containsKey(range.streamId()) : base.streams().stream(range.streamId()) != null) {
                streamIndex(range.streamId()).put(range.startOffset(), object);
            }
        }
        nextObjectId = Math.max(nextObjectId, r.objectId() + 1);
    }

    private void replayMarked(ObjectsMarkedRecord r) {
        for (long id : r.objectIds()) {
            ObjectMetadata object = objects().remove(id);
            if (object != null) {
                for (StreamOffsetRange range : object.ranges()) {
                    NavigableMap<Long, ObjectMetadata> index = byStream().containsKey(range.streamId())
                            ? streamIndex(range.streamId()) : null;
                    if (index != null) {
                        index.remove(range.startOffset(), object);
                        if (index.isEmpty()) {
                            byStream.remove(range.streamId());
                        }
                    }
                }
            }
            if (preparedUntilMs != null || base.objects().preparedUntilMs().containsKey(id)) {
                prepared().remove(id);
            }
            marked().put(id, r.markedAtMs());
        }
    }

    // ---- copy on first write ----

    private TreeMap<Integer, BrokerRegistration> brokers() {
        if (brokers == null) {
            brokers = new TreeMap<>(base.brokers().map());
        }
        return brokers;
    }

    private LinkedHashMap<UUID, TopicMetadata> topics() {
        if (topics == null) {
            topics = new LinkedHashMap<>(base.topicsImage().byId());
        }
        return topics;
    }

    private List<PartitionMetadata> partitionsOf(TopicMetadata topic) {
        return partitionsOf.computeIfAbsent(topic.topicId(), id -> new ArrayList<>(topic.partitions()));
    }

    private HashMap<Long, StreamMetadata> streams() {
        if (streams == null) {
            streams = new HashMap<>(base.streams().map());
        }
        return streams;
    }

    private HashMap<Long, ObjectMetadata> objects() {
        if (objects == null) {
            objects = new HashMap<>(base.objects().objects());
        }
        return objects;
    }

    private HashMap<Long, NavigableMap<Long, ObjectMetadata>> byStream() {
        if (byStream == null) {
            byStream = new HashMap<>(base.objects().byStream());
        }
        return byStream;
    }

    /** The stream's offset index, copied from the base image the first time this delta changes it. */
    private NavigableMap<Long, ObjectMetadata> streamIndex(long streamId) {
        HashMap<Long, NavigableMap<Long, ObjectMetadata>> all = byStream();
        NavigableMap<Long, ObjectMetadata> index = all.get(streamId);
        if (index == null || copiedStreamIndexes.add(streamId)) {
            copiedStreamIndexes.add(streamId);
            index = index == null ? new TreeMap<>() : new TreeMap<>(index);
            all.put(streamId, index);
        }
        return index;
    }

    private TreeMap<Long, Long> prepared() {
        if (preparedUntilMs == null) {
            preparedUntilMs = new TreeMap<>(base.objects().preparedUntilMs());
        }
        return preparedUntilMs;
    }

    private TreeMap<Long, Long> marked() {
        if (markedAtMs == null) {
            markedAtMs = new TreeMap<>(base.objects().markedAtMs());
        }
        return markedAtMs;
    }

    /** The per-stream indexes for the new image: the ones this delta copied become read-only, the others already are. */
    private Map<Long, NavigableMap<Long, ObjectMetadata>> frozenIndexes() {
        for (long streamId : copiedStreamIndexes) {
            NavigableMap<Long, ObjectMetadata> index = byStream.get(streamId);
            if (index != null) {
                byStream.put(streamId, Collections.unmodifiableNavigableMap(index));
            }
        }
        copiedStreamIndexes.clear();
        return byStream;
    }
}
