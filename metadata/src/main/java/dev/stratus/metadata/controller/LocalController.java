package dev.stratus.metadata.controller;

import dev.stratus.metadata.MetadataErrorCode;
import dev.stratus.metadata.MetadataException;
import dev.stratus.metadata.MetadataImage;
import dev.stratus.metadata.ProducerIdController;
import dev.stratus.metadata.TopicController;
import dev.stratus.metadata.TopicNames;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.config.ConfigOp;
import dev.stratus.metadata.config.TopicConfigs;
import dev.stratus.metadata.journal.MetadataJournal;
import dev.stratus.metadata.record.BrokerRecord;
import dev.stratus.metadata.record.MetadataRecord;
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
import dev.stratus.storage.metadata.CommitRequest;
import dev.stratus.storage.metadata.MarkedObject;
import dev.stratus.storage.metadata.NewObject;
import dev.stratus.storage.metadata.ObjectCatalogRules;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.StreamMetadata;
import dev.stratus.storage.metadata.StreamMetadata.StreamState;
import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node controller: topics, partitions and leadership for brokers
 * ({@link TopicController}), producer ids ({@link ProducerIdController}), and streams, epochs and objects for the storage engine
 * ({@link StreamMetadataStore}), persisted in a local {@link MetadataJournal}.
 *
 * <p>Every operation runs on the one controller thread: it validates against the current
 * state, produces records, makes them durable in the journal, applies them, publishes a new
 * image when topics changed, and only then completes the caller's future. The Ratis quorum
 * later replaces the journal with a replicated log behind the same two interfaces.
 */
public final class LocalController implements TopicController, ProducerIdController, StreamMetadataStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalController.class);

    /** Kafka's own ceiling on partitions per topic creation is far higher; this keeps one request sane. */
    static final int MAX_PARTITIONS = 10_000;
    private static final int MAX_PENDING_OPERATIONS = 10_000;

    private final MetadataJournal journal;
    private final MetadataState state = new MetadataState();
    private final Clock clock;
    private final ExecutorService thread;
    private final ObjectCatalogRules.Catalog catalog = new StateCatalog();
    private final List<Consumer<MetadataImage>> listeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image;

    private LocalController(MetadataJournal journal, List<MetadataRecord> replayed, Clock clock) {
        this.journal = journal;
        this.clock = clock;
        replayed.forEach(state::apply);
        this.image = state.image();
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(MAX_PENDING_OPERATIONS), r -> {
                    Thread t = new Thread(r, "stratus-controller");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Opens the journal at {@code journalPath}, replays it, and returns a running controller. */
    public static LocalController open(Path journalPath, Clock clock) throws IOException {
        MetadataJournal.Replay replay = MetadataJournal.open(journalPath);
        LocalController controller = new LocalController(replay.journal(), replay.records(), clock);
        log.info("Controller ready: {} topics, {} streams", controller.image.topics().size(),
                controller.state.streams().size());
        return controller;
    }

    // ---- TopicController ----

    @Override
    public CompletableFuture<MetadataImage> registerBroker(int brokerId) {
        return run(() -> {
            List<MetadataRecord> records = new ArrayList<>();
            records.add(new BrokerRecord(brokerId, state.brokerEpoch(brokerId) + 1));
            for (UUID topicId : state.topicIds()) {
                for (PartitionRecord p : state.partitionsOf(topicId)) {
                    records.add(new PartitionRecord(topicId, p.partition(), p.streamId(), brokerId, p.leaderEpoch() + 1));
                }
            }
            commit(records);
            log.info("Broker {} registered (epoch {}), leading {} partitions", brokerId,
                    state.brokerEpoch(brokerId), records.size() - 1);
            return image;
        });
    }

    @Override
    public CompletableFuture<TopicMetadata> createTopic(String name, int partitions, Map<String, String> configs) {
        return run(() -> {
            String invalid = TopicNames.invalidReason(name);
            if (invalid != null) {
                throw new MetadataException(MetadataErrorCode.INVALID_TOPIC_NAME, invalid);
            }
            if (state.topicId(name) != null) {
                throw new MetadataException(MetadataErrorCode.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
            }
            if (partitions < 1 || partitions > MAX_PARTITIONS) {
                throw new MetadataException(MetadataErrorCode.INVALID_PARTITIONS,
                        "Number of partitions must be between 1 and " + MAX_PARTITIONS + ", got " + partitions + ".");
            }
            TopicConfigs.validate(configs);
            UUID topicId = UUID.randomUUID();
            int leader = state.anyBroker();
            List<MetadataRecord> records = new ArrayList<>();
            records.add(new TopicRecord(name, topicId, configs));
            long streamId = state.nextStreamId();
            for (int i = 0; i < partitions; i++, streamId++) {
                records.add(new StreamRecord(streamId, 0, 0, 0, StreamState.CLOSED));
                records.add(new PartitionRecord(topicId, i, streamId, leader, 0));
            }
            commit(records);
            log.info("Created topic {} ({}) with {} partitions", name, topicId, partitions);
            return image.topic(name);
        });
    }

    @Override
    public CompletableFuture<TopicMetadata> alterTopicConfigs(String name, List<ConfigOp> ops, boolean replaceAll,
                                                              boolean validateOnly) {
        return run(() -> {
            TopicMetadata topic = existingTopic(name);
            Map<String, String> altered = ConfigOp.applyAll(replaceAll ? Map.of() : topic.configs(), ops);
            TopicConfigs.validate(altered);
            TopicMetadata result = new TopicMetadata(name, topic.topicId(), topic.partitions(), altered);
            if (validateOnly || altered.equals(topic.configs())) {
                return result;
            }
            commit(List.of(new TopicRecord(name, topic.topicId(), altered)));
            log.info("Altered configs of topic {}: {}", name, altered);
            return image.topic(name);
        });
    }

    @Override
    public CompletableFuture<TopicMetadata> createPartitions(String name, int totalCount, boolean validateOnly) {
        return run(() -> {
            TopicMetadata topic = existingTopic(name);
            int current = topic.partitions().size();
            if (totalCount < current) {
                throw new MetadataException(MetadataErrorCode.INVALID_PARTITIONS, "Topic currently has " + current
                        + " partitions, which is higher than the requested " + totalCount + ".");
            }
            if (totalCount == current) {
                throw new MetadataException(MetadataErrorCode.INVALID_PARTITIONS,
                        "Topic already has " + current + " partitions.");
            }
            if (totalCount - current > MAX_PARTITIONS) {
                throw new MetadataException(MetadataErrorCode.INVALID_PARTITIONS,
                        "At most " + MAX_PARTITIONS + " partitions can be added at once, asked for " + (totalCount - current) + ".");
            }
            if (validateOnly) {
                return topic;
            }
            int leader = state.anyBroker();
            List<MetadataRecord> records = new ArrayList<>();
            long streamId = state.nextStreamId();
            for (int i = current; i < totalCount; i++, streamId++) {
                records.add(new StreamRecord(streamId, 0, 0, 0, StreamState.CLOSED));
                records.add(new PartitionRecord(topic.topicId(), i, streamId, leader, 0));
            }
            commit(records);
            log.info("Topic {} grown from {} to {} partitions", name, current, totalCount);
            return image.topic(name);
        });
    }

    private TopicMetadata existingTopic(String name) {
        TopicMetadata topic = state.topicId(name) == null ? null : image.topic(name);
        if (topic == null) {
            throw new MetadataException(MetadataErrorCode.UNKNOWN_TOPIC, "Topic '" + name + "' does not exist.");
        }
        return topic;
    }

    @Override
    public CompletableFuture<Void> deleteTopic(String name) {
        return run(() -> {
            UUID topicId = state.topicId(name);
            if (topicId == null) {
                throw new MetadataException(MetadataErrorCode.UNKNOWN_TOPIC, "Topic '" + name + "' does not exist.");
            }
            List<MetadataRecord> records = new ArrayList<>();
            for (PartitionRecord p : state.partitionsOf(topicId)) {
                records.add(new RemoveStreamRecord(p.streamId()));
            }
            records.add(new RemoveTopicRecord(topicId));
            commit(records);
            log.info("Deleted topic {} ({})", name, topicId);
            return null;
        });
    }

    @Override
    public MetadataImage image() {
        return image;
    }

    @Override
    public void subscribe(Consumer<MetadataImage> listener) {
        // On the controller thread so that the listener sees images in order, starting now.
        thread.execute(() -> {
            listeners.add(listener);
            listener.accept(image);
        });
    }

    // ---- ProducerIdController ----

    @Override
    public CompletableFuture<Long> allocateProducerIds(int count) {
        return run(() -> {
            if (count < 1) {
                throw new IllegalArgumentException("count must be positive: " + count);
            }
            long first = state.nextProducerId();
            commit(List.of(new ProducerIdsRecord(first + count)));
            return first;
        });
    }

    // ---- StreamMetadataStore ----

    @Override
    public CompletableFuture<Long> createStream() {
        return run(() -> {
            long streamId = state.nextStreamId();
            commit(List.of(new StreamRecord(streamId, 0, 0, 0, StreamState.CLOSED)));
            return streamId;
        });
    }

    @Override
    public CompletableFuture<StreamMetadata> openStream(long streamId, long epoch) {
        return run(() -> {
            StreamMetadata stream = existing(streamId);
            if (epoch < stream.epoch()) {
                throw fenced(stream, epoch);
            }
            commit(List.of(new StreamRecord(streamId, epoch, stream.startOffset(), stream.endOffset(), StreamState.OPENED)));
            return state.stream(streamId);
        });
    }

    @Override
    public CompletableFuture<Void> closeStream(long streamId, long epoch) {
        return run(() -> {
            StreamMetadata stream = owned(streamId, epoch);
            commit(List.of(new StreamRecord(streamId, epoch, stream.startOffset(), stream.endOffset(), StreamState.CLOSED)));
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> trimStream(long streamId, long epoch, long newStartOffset) {
        return run(() -> {
            StreamMetadata stream = owned(streamId, epoch);
            if (newStartOffset > stream.startOffset()) {
                commit(List.of(new StreamRecord(streamId, epoch, newStartOffset, stream.endOffset(), stream.state())));
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> deleteStream(long streamId, long epoch) {
        return run(() -> {
            StreamMetadata stream = existing(streamId);
            if (epoch < stream.epoch()) {
                throw fenced(stream, epoch);
            }
            commit(List.of(new RemoveStreamRecord(streamId)));
            return null;
        });
    }

    @Override
    public CompletableFuture<StreamMetadata> describeStream(long streamId) {
        return run(() -> existing(streamId));
    }

    @Override
    public CompletableFuture<Long> prepareObjects(int count, long ttlMs) {
        return run(() -> {
            if (count < 1) {
                throw new IllegalArgumentException("count must be positive: " + count);
            }
            long first = state.nextObjectId();
            long nowMs = clock.millis();
            commit(List.of(new ObjectsPreparedRecord(first, count, nowMs, nowMs + ttlMs)));
            return first;
        });
    }

    @Override
    public CompletableFuture<Void> commitObjects(CommitRequest request) {
        return run(() -> {
            long nowMs = clock.millis();
            ObjectCatalogRules.Decision decision = ObjectCatalogRules.check(request, catalog, nowMs);
            if (decision.retry()) {
                return null;
            }
            List<MetadataRecord> records = new ArrayList<>();
            decision.newEndOffsets().forEach((streamId, end) -> {
                StreamMetadata stream = state.stream(streamId);
                records.add(new StreamRecord(streamId, stream.epoch(), stream.startOffset(), end, stream.state()));
            });
            if (request.isCompaction()) {
                records.add(new ObjectsMarkedRecord(request.compactedObjectIds(), nowMs));
            }
            for (NewObject object : request.objects()) {
                records.add(new ObjectRecord(object.objectId(), object.sizeBytes(), object.offsetRanges(), nowMs,
                        object.type()));
            }
            commit(records);
            return null;
        });
    }

    @Override
    public CompletableFuture<List<ObjectMetadata>> listObjects() {
        return run(state::liveObjects);
    }

    @Override
    public CompletableFuture<List<Long>> markOrphans(List<Long> objectIds) {
        return run(() -> {
            long nowMs = clock.millis();
            List<Long> orphans = objectIds.stream().distinct()
                    .filter(id -> ObjectCatalogRules.isOrphan(id, catalog, nowMs)).toList();
            if (!orphans.isEmpty()) {
                commit(List.of(new ObjectsMarkedRecord(orphans, nowMs)));
            }
            return orphans;
        });
    }

    @Override
    public CompletableFuture<List<MarkedObject>> markedObjects() {
        return run(() -> state.markedObjects().entrySet().stream()
                .map(e -> new MarkedObject(e.getKey(), e.getValue())).toList());
    }

    @Override
    public CompletableFuture<Void> forgetObjects(List<Long> objectIds) {
        return run(() -> {
            List<Long> marked = objectIds.stream().distinct().filter(state::isMarked).toList();
            if (!marked.isEmpty()) {
                commit(List.of(new ObjectsRemovedRecord(marked)));
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<List<ObjectMetadata>> objectsOf(long streamId, long startOffset, long endOffset, int limit) {
        return run(() -> {
            existing(streamId);
            var byStart = state.objectsOf(streamId);
            Long from = byStart.floorKey(startOffset);
            List<ObjectMetadata> result = new ArrayList<>();
            for (var entry : byStart.tailMap(from == null ? startOffset : from, true).entrySet()) {
                if (entry.getKey() >= endOffset || result.size() >= limit) {
                    break;
                }
                ObjectMetadata object = entry.getValue();
                boolean reachesStart = object.ranges().stream()
                        .anyMatch(r -> r.streamId() == streamId && r.endOffset() > startOffset);
                if (reachesStart) {
                    result.add(object);
                }
            }
            return result;
        });
    }

    @Override
    public CompletableFuture<List<StreamMetadata>> allStreams() {
        return run(() -> List.copyOf(state.streams()));
    }

    // ---- lifecycle ----

    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
            journal.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.warn("Closing metadata journal failed", e);
        }
    }

    // ---- helpers, controller thread only ----

    private <T> CompletableFuture<T> run(Supplier<T> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    result.complete(operation.get());
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new MetadataException(MetadataErrorCode.UNAVAILABLE,
                    "controller is shut down or overloaded"));
        }
        return result;
    }

    /** Persist, then apply, then publish: the order that makes a completed future mean durable. */
    private void commit(List<MetadataRecord> records) {
        try {
            journal.append(records);
        } catch (IOException e) {
            throw new MetadataException(MetadataErrorCode.UNAVAILABLE, "metadata journal write failed: " + e);
        }
        long versionBefore = state.topicsVersion();
        records.forEach(state::apply);
        if (state.topicsVersion() != versionBefore) {
            image = state.image();
            for (Consumer<MetadataImage> listener : listeners) {
                try {
                    listener.accept(image);
                } catch (RuntimeException e) {
                    log.error("Metadata listener failed", e);
                }
            }
        }
    }

    /** The object rules' view of the state; used on the controller thread. */
    private final class StateCatalog implements ObjectCatalogRules.Catalog {
        @Override
        public StreamMetadata stream(long streamId) {
            return state.stream(streamId);
        }

        @Override
        public ObjectMetadata object(long objectId) {
            return state.object(objectId);
        }

        @Override
        public boolean isMarked(long objectId) {
            return state.isMarked(objectId);
        }

        @Override
        public boolean isPrepared(long objectId, long nowMs) {
            return state.isPrepared(objectId, nowMs);
        }

        @Override
        public long nextObjectId() {
            return state.nextObjectId();
        }
    }

    private StreamMetadata existing(long streamId) {
        StreamMetadata stream = state.stream(streamId);
        if (stream == null) {
            throw new StreamException(StreamErrorCode.STREAM_NOT_FOUND, "stream " + streamId + " does not exist");
        }
        return stream;
    }

    private StreamMetadata owned(long streamId, long epoch) {
        StreamMetadata stream = existing(streamId);
        if (epoch != stream.epoch()) {
            throw fenced(stream, epoch);
        }
        return stream;
    }

    private static StreamException fenced(StreamMetadata stream, long epoch) {
        return new StreamException(StreamErrorCode.FENCED, "stream " + stream.streamId() + " is at epoch "
                + stream.epoch() + ", the caller holds epoch " + epoch);
    }
}
