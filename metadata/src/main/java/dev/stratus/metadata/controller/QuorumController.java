package dev.stratus.metadata.controller;

import dev.stratus.metadata.BrokerLoad;
import dev.stratus.metadata.BrokerRegistrationRequest;
import dev.stratus.metadata.MetadataErrorCode;
import dev.stratus.metadata.MetadataException;
import dev.stratus.metadata.ProducerIdController;
import dev.stratus.metadata.TopicController;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.config.ConfigOp;
import dev.stratus.metadata.image.BrokerRegistration;
import dev.stratus.metadata.image.ImageStreamMetadataView;
import dev.stratus.metadata.image.MetadataDelta;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.log.MetadataLog;
import dev.stratus.storage.metadata.CommitRequest;
import dev.stratus.storage.metadata.MarkedObject;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.StreamMetadata;
import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.metadata.StreamMetadataView;
import dev.stratus.metadata.quorum.QuorumStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller runtime: runs each operation of the domain managers (brokers, topics, streams
 * and objects, producer ids) on its one thread against the latest image, proposes the records
 * it returns to the {@link MetadataLog}, and completes the caller's future once the log has
 * committed them and this node's {@link MetadataLoader} has applied them.
 *
 * <p>While proposals are in flight, the next operation sees their effects through a
 * speculative image (committed image plus what was proposed), so that two operations in a row
 * never decide on the same state; a failed proposal drops the speculative image. Reads answer
 * from the committed image. Thread: operations run on the controller thread; the log may
 * complete proposals on its own thread.
 */
public final class QuorumController implements TopicController, ProducerIdController, StreamMetadataStore, StreamMetadataView,
        AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QuorumController.class);
    private static final int MAX_PENDING_OPERATIONS = 10_000;

    private final MetadataLog metadataLog;
    private final MetadataLoader loader;
    private final Clock clock;
    private final ExecutorService thread;
    private final TopicControlManager topics;
    private final BrokerControlManager brokers = new BrokerControlManager();
    private final PartitionMoves moves = new PartitionMoves();
    private final StreamControlManager streams = new StreamControlManager();
    private final ProducerIdControlManager producerIds = new ProducerIdControlManager();
    private final ImageStreamMetadataView view;
    /** This process's own stream changes (no broker session to check). */
    private final StreamMetadataStore inProcess = new BrokerSession(-1, -1);
    /** Committed image plus in-flight proposals; null when nothing is in flight. Controller thread only. */
    private final BrokerLeases leases;
    /** The last load each broker reported while this node was the active controller; readable from any thread. */
    private final Map<Integer, ReportedLoad> loads = new ConcurrentHashMap<>();
    private final ScheduledExecutorService leaseTimer;
    /** The leader epoch in which the leases were started; another epoch starts them afresh. Controller thread. */
    private long leasesEpoch = -1;
    private MetadataImage speculative;
    /** The leader epoch the speculative image was decided in: a new epoch starts from the committed image. */
    private long speculativeEpoch = -1;
    private int inFlight;

    /** A controller whose brokers never lose their lease (a single node). */
    public QuorumController(MetadataLog metadataLog, MetadataLoader loader, Clock clock) {
        this(metadataLog, loader, clock, UUID::randomUUID, 0);
    }

    /** @param topicIds where new topics get their ids (random in production) */
    public QuorumController(MetadataLog metadataLog, MetadataLoader loader, Clock clock, Supplier<UUID> topicIds) {
        this(metadataLog, loader, clock, topicIds, 0);
    }

    /**
     * @param topicIds               where new topics get their ids (random in production)
     * @param brokerSessionTimeoutMs a broker that does not heartbeat for this long is fenced (0: never)
     */
    public QuorumController(MetadataLog metadataLog, MetadataLoader loader, Clock clock, Supplier<UUID> topicIds,
                            long brokerSessionTimeoutMs) {
        this.metadataLog = metadataLog;
        this.loader = loader;
        this.clock = clock;
        this.topics = new TopicControlManager(topicIds);
        this.view = new ImageStreamMetadataView(loader);
        this.leases = new BrokerLeases(brokerSessionTimeoutMs);
        if (brokerSessionTimeoutMs > 0) {
            long checkMs = Math.max(50, Math.min(1_000, brokerSessionTimeoutMs / 4));
            this.leaseTimer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "stratus-controller-leases");
                t.setDaemon(true);
                return t;
            });
            leaseTimer.scheduleWithFixedDelay(() -> execute(this::checkLeases), checkMs, checkMs, TimeUnit.MILLISECONDS);
        } else {
            this.leaseTimer = null;
        }
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(MAX_PENDING_OPERATIONS), r -> {
                    Thread t = new Thread(r, "stratus-controller");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** This node's committed image. */
    public MetadataImage image() {
        return loader.image();
    }

    // ---- brokers and topics ----

    @Override
    public CompletableFuture<Long> registerBroker(BrokerRegistrationRequest request) {
        return write(image -> brokers.register(image, request)).whenComplete((epoch, error) -> {
            if (error == null) {
                execute(() -> leases.renew(request.brokerId(), epoch, clock.millis()));
                log.info("Broker {} registered (epoch {}) at {}:{}", request.brokerId(), epoch, request.host(), request.port());
            }
        });
    }

    /**
     * A heartbeat of broker {@code brokerId} at {@code brokerEpoch}: renews its lease, or with
     * {@code shuttingDown} fences it now (controlled shutdown). Fails with STALE_BROKER_EPOCH
     * when that registration is fenced or replaced: the broker must register again.
     */
    @Override
    public CompletableFuture<Void> heartbeat(int brokerId, long brokerEpoch, boolean shuttingDown, BrokerLoad load) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (!execute(() -> {
            MetadataLog.LeaderAndEpoch leader = metadataLog.leader();
            if (leader.leaderId() != metadataLog.nodeId()) {
                result.completeExceptionally(new MetadataException(MetadataErrorCode.NOT_CONTROLLER,
                        "node " + metadataLog.nodeId() + " is not the active controller"));
                return;
            }
            try {
                BrokerControlManager.checkSession(loader.image(), brokerId, brokerEpoch);
            } catch (MetadataException e) {
                result.completeExceptionally(e);
                return;
            }
            leases.renew(brokerId, brokerEpoch, clock.millis());
            loads.put(brokerId, new ReportedLoad(brokerEpoch, clock.millis(), load));
            if (!shuttingDown) {
                result.complete(null);
                return;
            }
            write(image -> brokers.fence(image, brokerId, brokerEpoch)).whenComplete((fenced, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    log.info("Broker {} (epoch {}) fenced at its controlled shutdown", brokerId, brokerEpoch);
                    result.complete(null);
                }
            });
        })) {
            result.completeExceptionally(new MetadataException(MetadataErrorCode.UNAVAILABLE, "controller is shut down"));
        }
        return result;
    }

    /** A broker's load as its last heartbeat to this controller reported it. */
    public record ReportedLoad(long brokerEpoch, long receivedAtMs, BrokerLoad load) {
    }

    /** The last load each broker reported to this node while it was the active controller, by broker id. */
    public Map<Integer, ReportedLoad> brokerLoads() {
        return Map.copyOf(loads);
    }

    /**
     * The live brokers as observers of the quorum, as their last heartbeats to this controller
     * put them: a broker whose image holds every metadata batch this controller applied is at
     * {@code highWatermark} (the entries after the last batch carry no metadata); a broker not
     * heard from at its current registration is at -1. Any thread.
     */
    public List<QuorumStatus.Replica> observers(long highWatermark) {
        MetadataImage image = loader.image();
        List<QuorumStatus.Replica> observers = new ArrayList<>();
        for (BrokerRegistration broker : image.brokers().all()) {
            if (broker.fenced()) {
                continue;
            }
            ReportedLoad reported = loads.get(broker.brokerId());
            if (reported == null || reported.brokerEpoch() != broker.epoch() || reported.load().metadataOffset() < 0) {
                observers.add(new QuorumStatus.Replica(broker.brokerId(), -1, -1, -1));
                continue;
            }
            long offset = reported.load().metadataOffset();
            boolean caughtUp = offset >= image.offset();
            observers.add(new QuorumStatus.Replica(broker.brokerId(), caughtUp ? Math.max(offset, highWatermark) : offset,
                    reported.receivedAtMs(), caughtUp ? reported.receivedAtMs() : -1));
        }
        return observers;
    }

    /**
     * The stream and object changes of one broker registration: each is refused with
     * STALE_BROKER_EPOCH, in the same decision that would apply it, once that registration is
     * fenced or replaced.
     */
    public StreamMetadataStore session(int brokerId, long brokerEpoch) {
        return new BrokerSession(brokerId, brokerEpoch);
    }

    /** Controller thread: fences the brokers whose lease ran out, while this node leads. */
    private void checkLeases() {
        MetadataLog.LeaderAndEpoch leader = metadataLog.leader();
        if (leader.leaderId() != metadataLog.nodeId()) {
            leases.clear();
            loads.clear();
            leasesEpoch = -1;
            return;
        }
        if (leasesEpoch != leader.epoch()) {
            // A new term: every broker gets a full lease from now, heard from or not.
            leases.clear();
            leasesEpoch = leader.epoch();
        }
        for (BrokerRegistration expired : leases.expired(loader.image(), clock.millis())) {
            write(image -> brokers.fence(image, expired.brokerId(), expired.epoch())).whenComplete((fenced, error) -> {
                if (error == null && fenced) {
                    log.warn("Broker {} (epoch {}) fenced: no heartbeat within its session timeout", expired.brokerId(),
                            expired.epoch());
                }
            });
        }
    }

    @Override
    public CompletableFuture<TopicMetadata> createTopic(String name, int partitions, Map<String, String> configs) {
        return write(image -> topics.createTopic(image, name, partitions, configs)).whenComplete((topic, error) -> {
            if (error == null) {
                log.info("Created topic {} ({}) with {} partitions", name, topic.topicId(), partitions);
            }
        });
    }

    @Override
    public CompletableFuture<TopicMetadata> alterTopicConfigs(String name, List<ConfigOp> ops, boolean replaceAll,
                                                              boolean validateOnly) {
        return write(image -> topics.alterTopicConfigs(image, name, ops, replaceAll, validateOnly));
    }

    @Override
    public CompletableFuture<TopicMetadata> createPartitions(String name, int totalCount, boolean validateOnly) {
        return write(image -> topics.createPartitions(image, name, totalCount, validateOnly));
    }

    @Override
    public CompletableFuture<Void> deleteTopic(String name) {
        return write(image -> topics.deleteTopic(image, name)).whenComplete((done, error) -> {
            if (error == null) {
                log.info("Deleted topic {}", name);
            }
        });
    }

    @Override
    public CompletableFuture<Void> reassignPartition(String topic, int partition, int target) {
        return write(image -> moves.start(image, topic, partition, target)).whenComplete((done, error) -> {
            if (error == null) {
                log.info(target < 0 ? "Cancelled the move of {}-{}" : "Moving {}-{} to broker {}", topic, partition, target);
            }
        });
    }

    @Override
    public CompletableFuture<Void> completePartitionMove(int brokerId, long brokerEpoch, UUID topicId, int partition,
                                                         int leaderEpoch) {
        return write(image -> {
            BrokerControlManager.checkSession(image, brokerId, brokerEpoch);
            return moves.complete(image, brokerId, topicId, partition, leaderEpoch);
        }).whenComplete((done, error) -> {
            if (error == null) {
                log.info("Partition {}-{} handed over by broker {} at epoch {}", topicId, partition, brokerId, leaderEpoch);
            }
        });
    }

    @Override
    public CompletableFuture<Long> drainBroker(int brokerId, long brokerEpoch) {
        return write(image -> {
            BrokerControlManager.checkSession(image, brokerId, brokerEpoch);
            return moves.drain(image, brokerId, brokerEpoch);
        }).whenComplete((moved, error) -> {
            if (error == null) {
                log.info("Draining broker {} (epoch {}): moving {} partition(s) off it", brokerId, brokerEpoch, moved);
            }
        });
    }

    @Override
    public CompletableFuture<Long> allocateProducerIds(int count) {
        return write(image -> producerIds.allocate(image, count));
    }

    // ---- streams and objects ----

    @Override
    public CompletableFuture<Long> createStream() {
        return inProcess.createStream();
    }

    @Override
    public CompletableFuture<StreamMetadata> openStream(long streamId, long epoch) {
        return inProcess.openStream(streamId, epoch);
    }

    @Override
    public CompletableFuture<Void> closeStream(long streamId, long epoch) {
        return inProcess.closeStream(streamId, epoch);
    }

    @Override
    public CompletableFuture<Void> trimStream(long streamId, long epoch, long newStartOffset) {
        return inProcess.trimStream(streamId, epoch, newStartOffset);
    }

    @Override
    public CompletableFuture<Void> deleteStream(long streamId, long epoch) {
        return inProcess.deleteStream(streamId, epoch);
    }

    @Override
    public CompletableFuture<Long> prepareObjects(int count, long ttlMs) {
        return inProcess.prepareObjects(count, ttlMs);
    }

    @Override
    public CompletableFuture<Void> commitObjects(CommitRequest request) {
        return inProcess.commitObjects(request);
    }

    @Override
    public CompletableFuture<List<Long>> markOrphans(List<Long> objectIds) {
        return inProcess.markOrphans(objectIds);
    }

    @Override
    public CompletableFuture<Void> forgetObjects(List<Long> objectIds) {
        return inProcess.forgetObjects(objectIds);
    }

    // ---- reads, from this node's committed image ----

    @Override
    public CompletableFuture<StreamMetadata> describeStream(long streamId) {
        return view.describeStream(streamId);
    }

    @Override
    public CompletableFuture<List<ObjectMetadata>> listObjects() {
        return view.listObjects();
    }

    @Override
    public CompletableFuture<List<MarkedObject>> markedObjects() {
        return view.markedObjects();
    }

    @Override
    public CompletableFuture<List<ObjectMetadata>> objectsOf(long streamId, long startOffset, long endOffset, int limit) {
        return view.objectsOf(streamId, startOffset, endOffset, limit);
    }

    @Override
    public CompletableFuture<List<StreamMetadata>> allStreams() {
        return view.allStreams();
    }

    // ---- lifecycle ----

    /** Stops taking operations; those queued finish first. The log is its owner's to close. */
    @Override
    public void close() {
        if (leaseTimer != null) {
            leaseTimer.shutdownNow();
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- runtime ----

    private <T> CompletableFuture<T> write(Function<MetadataImage, ControllerResult<T>> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            thread.execute(() -> decide(operation, result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new MetadataException(MetadataErrorCode.UNAVAILABLE,
                    "controller is shut down or overloaded"));
        }
        return result;
    }

    /** Controller thread: decide, propose, answer once committed. */
    private <T> void decide(Function<MetadataImage, ControllerResult<T>> operation, CompletableFuture<T> result) {
        MetadataLog.LeaderAndEpoch leader = metadataLog.leader();
        if (leader.leaderId() != metadataLog.nodeId()) {
            result.completeExceptionally(new MetadataException(MetadataErrorCode.NOT_CONTROLLER,
                    "node " + metadataLog.nodeId() + " is not the active controller (leader: " + leader.leaderId() + ")"));
            return;
        }
        if (speculative != null && speculativeEpoch != leader.epoch()) {
            speculative = null;
        }
        MetadataImage base = speculative != null ? speculative : loader.image();
        ControllerResult<T> decided;
        try {
            decided = operation.apply(base);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        if (decided.records().isEmpty()) {
            result.complete(decided.response().apply(base));
            return;
        }
        MetadataImage next;
        T answer;
        try {
            next = new MetadataDelta(base).replayAll(decided.records()).apply(base.offset());
            answer = decided.response().apply(next);
        } catch (RuntimeException e) {
            log.error("Controller operation produced records that do not apply: {}", decided.records(), e);
            result.completeExceptionally(e);
            return;
        }
        speculative = next;
        speculativeEpoch = leader.epoch();
        inFlight++;
        CompletableFuture<Long> proposal;
        try {
            proposal = metadataLog.propose(leader.epoch(), decided.records());
        } catch (RuntimeException e) {
            proposal = CompletableFuture.failedFuture(e);
        }
        proposal.whenComplete((offset, error) -> {
            if (error == null) {
                result.complete(answer);
            } else {
                result.completeExceptionally(unavailable(error));
            }
            execute(() -> settle(error != null));
        });
    }

    /** Controller thread: one proposal is done; with none in flight (or one failed) the committed image is the truth. */
    private void settle(boolean failed) {
        inFlight--;
        if (failed || inFlight == 0) {
            speculative = null;
        }
    }

    /** Runs {@code task} on the controller thread; false when the controller is shut down. */
    private boolean execute(Runnable task) {
        try {
            thread.execute(task);
            return true;
        } catch (RejectedExecutionException shuttingDown) {
            return false;
        }
    }

    /**
     * The stream changes of one broker registration, see {@link #session}; with broker id -1,
     * those of this process itself (a single node, storage beside the controller), unchecked.
     */
    private final class BrokerSession implements StreamMetadataStore {
        private final int brokerId;
        private final long brokerEpoch;

        BrokerSession(int brokerId, long brokerEpoch) {
            this.brokerId = brokerId;
            this.brokerEpoch = brokerEpoch;
        }

        private <T> CompletableFuture<T> checked(Function<MetadataImage, ControllerResult<T>> operation) {
            return write(image -> {
                if (brokerId >= 0) {
                    BrokerControlManager.checkSession(image, brokerId, brokerEpoch);
                }
                return operation.apply(image);
            });
        }

        @Override
        public CompletableFuture<Long> createStream() {
            return checked(streams::createStream);
        }

        @Override
        public CompletableFuture<StreamMetadata> openStream(long streamId, long epoch) {
            return checked(image -> streams.openStream(image, streamId, epoch));
        }

        @Override
        public CompletableFuture<Void> closeStream(long streamId, long epoch) {
            return checked(image -> streams.closeStream(image, streamId, epoch));
        }

        @Override
        public CompletableFuture<Void> trimStream(long streamId, long epoch, long newStartOffset) {
            return checked(image -> streams.trimStream(image, streamId, epoch, newStartOffset));
        }

        @Override
        public CompletableFuture<Void> deleteStream(long streamId, long epoch) {
            return checked(image -> streams.deleteStream(image, streamId, epoch));
        }

        @Override
        public CompletableFuture<Long> prepareObjects(int count, long ttlMs) {
            return checked(image -> streams.prepareObjects(image, count, ttlMs, clock.millis()));
        }

        @Override
        public CompletableFuture<Void> commitObjects(CommitRequest request) {
            return checked(image -> streams.commitObjects(image, request, clock.millis()));
        }

        @Override
        public CompletableFuture<List<Long>> markOrphans(List<Long> objectIds) {
            return checked(image -> streams.markOrphans(image, objectIds, clock.millis()));
        }

        @Override
        public CompletableFuture<Void> forgetObjects(List<Long> objectIds) {
            return checked(image -> streams.forgetObjects(image, objectIds));
        }
    }

    private static Throwable unavailable(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof MetadataException) {
            return cause;
        }
        if (cause instanceof MetadataLog.NotLeaderException) {
            return new MetadataException(MetadataErrorCode.NOT_CONTROLLER, cause.getMessage());
        }
        return new MetadataException(MetadataErrorCode.UNAVAILABLE, "metadata log write failed: " + cause);
    }
}
