package dev.stratus.broker;

import dev.stratus.broker.api.AlterConfigsHandler;
import dev.stratus.broker.api.AlterPartitionReassignmentsHandler;
import dev.stratus.broker.api.ApiDispatcher;
import dev.stratus.broker.api.ApiVersionsHandler;
import dev.stratus.broker.api.CreatePartitionsHandler;
import dev.stratus.broker.api.CreateTopicsHandler;
import dev.stratus.broker.api.DeleteRecordsHandler;
import dev.stratus.broker.api.DeleteTopicsHandler;
import dev.stratus.broker.api.DescribeClusterHandler;
import dev.stratus.broker.api.DescribeConfigsHandler;
import dev.stratus.broker.api.DescribeLogDirsHandler;
import dev.stratus.broker.api.DescribeProducersHandler;
import dev.stratus.broker.api.DescribeQuorumHandler;
import dev.stratus.broker.api.DescribeTopicPartitionsHandler;
import dev.stratus.broker.api.ElectLeadersHandler;
import dev.stratus.broker.api.IncrementalAlterConfigsHandler;
import dev.stratus.broker.api.InitProducerIdHandler;
import dev.stratus.broker.api.ListOffsetsHandler;
import dev.stratus.broker.api.ListPartitionReassignmentsHandler;
import dev.stratus.broker.api.MetadataHandler;
import dev.stratus.broker.api.OffsetForLeaderEpochHandler;
import dev.stratus.broker.api.ProduceHandler;
import dev.stratus.broker.api.SupportedApis;
import dev.stratus.broker.fetch.FetchHandler;
import dev.stratus.broker.fetch.FetchSessionCache;
import dev.stratus.broker.group.GroupLayer;
import dev.stratus.broker.network.KafkaServer;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.PartitionAgents;
import dev.stratus.broker.partition.PartitionLeader;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.broker.partition.ProducerIdAllocator;
import dev.stratus.broker.partition.ProducerIdBlocks;
import dev.stratus.broker.partition.RetentionTask;
import dev.stratus.broker.policy.TopicPolicies;
import dev.stratus.metadata.BrokerLoad;
import dev.stratus.metadata.BrokerRegistrationRequest;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.ProducerIdController;
import dev.stratus.metadata.QuorumDescriber;
import dev.stratus.metadata.TopicController;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.quorum.QuorumStatus;
import dev.stratus.storage.stream.StreamStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka broker over Stratus streams: the Kafka listener, the API handlers, and the partitions
 * this node leads. The stream store and the controller are given, already started, and are not
 * stopped by the broker (the server module owns them).
 *
 * <p>Lifecycle, called from one thread: {@link #start()} binds the listener, registers with the
 * controller, follows the metadata, then starts accepting; {@link #shutdown()} stops accepting,
 * finishes in-flight requests, closes the connections, closes every partition (a stream close
 * uploads its WAL data), then gives up its lease.
 */
public final class Broker {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final BrokerConfig config;
    private final StreamStore store;
    private final TopicController controller;
    private final MetadataLoader metadata;
    private final QuorumDescriber quorum;
    private final LongAdder requests = new LongAdder();
    private final ProducerIdAllocator producerIds;
    private final PartitionAgents agents;
    private final PartitionRegistry registry;
    private final GroupLayer groups;
    private final RetentionTask retention;
    private final FetchSessionCache fetchSessions;
    private final Clock clock;
    private final TopicPolicies policies;
    private final KafkaServer server;
    private volatile int boundPort = -1;
    private volatile long brokerEpoch = -1;
    private BrokerRegistrationRequest registration;
    private BrokerHeartbeats heartbeats;
    private volatile boolean draining;
    private boolean started;
    private boolean stopped;

    public Broker(BrokerConfig config, StreamStore store, TopicController controller, ProducerIdController producerIds,
                  MetadataLoader metadata) {
        this(config, store, controller, producerIds, metadata, Clock.systemUTC(), TopicPolicies.none());
    }

    /**
     * @param metadata this node's committed metadata, which the broker serves from and follows
     * @param clock    the time for LogAppendTime, timestamp bounds and retention
     * @param policies the operator's topic policies, asked before topics are created or their configs change
     */
    public Broker(BrokerConfig config, StreamStore store, TopicController controller, ProducerIdController producerIds,
                  MetadataLoader metadata, Clock clock, TopicPolicies policies) {
        this(config, store, controller, producerIds, metadata, clock, policies, null);
    }

    /**
     * @param quorum who describes the controller quorum (DescribeQuorum); null for a single node,
     *               which describes its one-member quorum itself
     */
    public Broker(BrokerConfig config, StreamStore store, TopicController controller, ProducerIdController producerIds,
                  MetadataLoader metadata, Clock clock, TopicPolicies policies, QuorumDescriber quorum) {
        this.quorum = quorum != null ? quorum : () -> CompletableFuture.completedFuture(new QuorumStatus(config.nodeId(), 0,
                metadata.image().offset(), List.of(new QuorumStatus.Replica(config.nodeId(), metadata.image().offset(),
                        clock.millis(), clock.millis()))));
        this.clock = clock;
        this.policies = policies;
        this.config = config;
        this.store = store;
        this.controller = controller;
        this.metadata = metadata;
        this.producerIds = new ProducerIdBlocks(producerIds);
        this.agents = new PartitionAgents(config.numIoThreads());
        this.registry = new PartitionRegistry(config.nodeId(), store, agents, config.messageMaxBytes(),
                config.effectiveLogDefaults(), clock, config.partitionCheckpointBytes());
        // A partition closed for its move is reported under this broker's current registration.
        this.registry.setHandover((topicId, partition, leaderEpoch) -> controller.completePartitionMove(config.nodeId(),
                brokerEpoch, topicId, partition, leaderEpoch));
        this.retention = new RetentionTask(registry, config.retentionCheckIntervalMs());
        this.fetchSessions = new FetchSessionCache(config.fetchSessions(), clock, new SplittableRandom());
        this.groups = new GroupLayer(config.groups(), Math.min(2, config.numIoThreads()), config.nodeId(),
                config.advertisedHost(), this::advertisedPort, config.rack(), controller, registry);
        this.server = new KafkaServer(config.listenerHost(), config.listenerPort(), config.socketRequestMaxBytes(),
                config.maxInFlightRequestsPerConnection(), config.numNetworkThreads(), dispatcher());
    }

    private RequestHandler dispatcher() {
        SupportedApis supported = SupportedApis.stratus();
        Map<ApiKeys, RequestHandler> handlers = new EnumMap<>(ApiKeys.class);
        handlers.put(ApiKeys.API_VERSIONS, new ApiVersionsHandler(supported));
        handlers.put(ApiKeys.METADATA, new MetadataHandler(config.nodeId(), config.clusterId(), config.advertisedHost(),
                this::advertisedPort, config.rack(), config.autoCreateTopics(), config.numPartitions(), controller, registry, policies));
        handlers.put(ApiKeys.CREATE_TOPICS, new CreateTopicsHandler(config.numPartitions(), controller, registry, policies));
        handlers.put(ApiKeys.DELETE_TOPICS, new DeleteTopicsHandler(controller, registry));
        handlers.put(ApiKeys.PRODUCE, new ProduceHandler(registry));
        handlers.put(ApiKeys.INIT_PRODUCER_ID, new InitProducerIdHandler(producerIds));
        handlers.put(ApiKeys.FETCH, new FetchHandler(registry, fetchSessions, config.fetchMaxBytes(), () -> draining));
        handlers.put(ApiKeys.LIST_OFFSETS, new ListOffsetsHandler(registry));
        // Admin and metadata APIs (dev.stratus.broker.api, configs in dev.stratus.broker.config).
        handlers.put(ApiKeys.DESCRIBE_QUORUM, new DescribeQuorumHandler(quorum, registry::image,
                config.cluster().voters()));
        handlers.put(ApiKeys.DESCRIBE_CLUSTER, DescribeClusterHandler.forBroker(config.nodeId(), config.clusterId(),
                config.advertisedHost(), this::advertisedPort, config.rack(), registry::image, quorum));
        handlers.put(ApiKeys.DESCRIBE_CONFIGS, new DescribeConfigsHandler(config, registry));
        handlers.put(ApiKeys.ALTER_CONFIGS, new AlterConfigsHandler(config.nodeId(), controller, registry, policies));
        handlers.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS, new IncrementalAlterConfigsHandler(config.nodeId(), controller, registry,
                policies));
        handlers.put(ApiKeys.CREATE_PARTITIONS, new CreatePartitionsHandler(controller, registry));
        handlers.put(ApiKeys.DELETE_RECORDS, new DeleteRecordsHandler(registry));
        handlers.put(ApiKeys.DESCRIBE_LOG_DIRS, new DescribeLogDirsHandler(config.logDir(), registry));
        handlers.put(ApiKeys.DESCRIBE_PRODUCERS, new DescribeProducersHandler(registry));
        handlers.put(ApiKeys.OFFSET_FOR_LEADER_EPOCH, new OffsetForLeaderEpochHandler(registry));
        handlers.put(ApiKeys.ELECT_LEADERS, new ElectLeadersHandler(registry));
        handlers.put(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, new DescribeTopicPartitionsHandler(registry));
        handlers.put(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, new AlterPartitionReassignmentsHandler(controller));
        handlers.put(ApiKeys.LIST_PARTITION_REASSIGNMENTS, new ListPartitionReassignmentsHandler(registry::image));
        groups.registerHandlers(handlers);
        ApiDispatcher dispatcher = new ApiDispatcher(supported, handlers);
        return context -> {
            requests.increment();
            return dispatcher.handle(context);
        };
    }

    /**
     * Binds the listener, registers this node with the controller, starts leading its
     * partitions, and starts accepting connections.
     *
     * @return the bound port (the ephemeral one when the config says 0)
     */
    public synchronized int start() throws InterruptedException {
        if (started) {
            throw new IllegalStateException("broker already started");
        }
        started = true;
        LOG.info("Starting broker {} (cluster {})", config.nodeId(), config.clusterId());
        agents.start();
        // Bound first, accepting last: the controller learns the real port, clients wait until the metadata is followed.
        boundPort = server.bind();
        try {
            registration = new BrokerRegistrationRequest(config.nodeId(), UUID.randomUUID(), config.advertisedHost(),
                    advertisedPort(), config.rack());
            brokerEpoch = controller.registerBroker(registration).get(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            server.shutdown();
            agents.shutdown(config.shutdownTimeout());
            throw new IllegalStateException("broker " + config.nodeId() + " could not register with the controller", e);
        }
        LOG.info("Broker {} registered with the controller (epoch {})", config.nodeId(), brokerEpoch);
        metadata.subscribe(registry);
        LOG.info("Broker {} follows metadata: leading {} partition(s)", config.nodeId(), registry.size());
        retention.start();
        groups.start();
        metadata.subscribe(groups);
        heartbeats = new BrokerHeartbeats(controller, registration, brokerEpoch, config.cluster().heartbeatIntervalMs(),
                epoch -> brokerEpoch = epoch, this::load);
        heartbeats.start();
        server.startAccepting();
        LOG.info("Broker {} serving Kafka clients on {}:{} (advertised {}:{})", config.nodeId(), config.listenerHost(),
                boundPort, config.advertisedHost(), advertisedPort());
        return boundPort;
    }

    /** What the heartbeat reports: requests served, WAL backlog, each led partition's traffic, the metadata offset. */
    BrokerLoad load() {
        List<BrokerLoad.PartitionLoad> partitions = new ArrayList<>();
        for (PartitionLeader leader : registry.leaders()) {
            partitions.add(new BrokerLoad.PartitionLoad(leader.key().topicId(), leader.partition(), leader.traffic().bytesIn(),
                    leader.traffic().bytesOut()));
        }
        return new BrokerLoad(requests.sum(), store.walBacklogBytes(), partitions, metadata.image().offset());
    }

    /** The epoch of this broker's current registration, -1 before it registers. */
    public long brokerEpoch() {
        return brokerEpoch;
    }

    /** The port the listener is bound to, -1 before {@link #start()}. */
    public int boundPort() {
        return boundPort;
    }

    public BrokerConfig config() {
        return config;
    }

    /** Retention rounds; tests run one with {@code retention().runOnce()}. */
    /** The incremental fetch sessions (KIP-227) this broker holds. */
    public FetchSessionCache fetchSessions() {
        return fetchSessions;
    }

    public RetentionTask retention() {
        return retention;
    }

    private int advertisedPort() {
        return config.advertisedPort() != 0 ? config.advertisedPort() : boundPort;
    }

    /**
     * In a cluster, before anything stops: asks the controller to move every partition this
     * broker leads to the others (and to place no new ones here), then keeps serving until
     * they have been handed over, or {@code shutdownTimeout} passed. Group coordinators move
     * with their {@code __consumer_offsets} partitions. What cannot move (no other broker)
     * stays, as before drains existed.
     */
    private void drain() throws InterruptedException {
        long startNs = System.nanoTime();
        long deadlineNs = startNs + config.shutdownTimeout().toNanos();
        long moves;
        try {
            moves = controller.drainBroker(config.nodeId(), brokerEpoch)
                    .get(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Broker {}: the controller did not take the drain ({}); stopping with the partitions it leads",
                    config.nodeId(), e.toString());
            return;
        }
        LOG.info("Broker {}: draining, {} partition(s) moving to other brokers", config.nodeId(), moves);
        while (movingAway() > 0 && System.nanoTime() < deadlineNs) {
            Thread.sleep(20);
        }
        int left = movingAway();
        if (left > 0) {
            LOG.warn("Broker {}: {} partition(s) not handed over within {}; stopping with them", config.nodeId(), left,
                    config.shutdownTimeout());
        } else {
            LOG.info("Broker {}: drained in {} ms", config.nodeId(), (System.nanoTime() - startNs) / 1_000_000);
        }
    }

    /** Partitions this broker leads that are moving to another, as this node's image says. */
    private int movingAway() {
        int count = 0;
        for (TopicMetadata topic : registry.image().topics()) {
            for (PartitionMetadata partition : topic.partitions()) {
                if (partition.leaderId() == config.nodeId() && partition.moving()) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Graceful stop; waits at most {@code shutdownTimeout} for each step. Idempotent. */
    public synchronized void shutdown() throws InterruptedException {
        if (!started || stopped) {
            return;
        }
        stopped = true;
        LOG.info("Shutting down broker {}", config.nodeId());
        if (config.cluster().heartbeatIntervalMs() > 0 && brokerEpoch >= 0) {
            drain();
        }
        server.stopAccepting();
        server.stopReading();
        draining = true;
        registry.wakeReaders();
        if (!server.awaitIdle(config.shutdownTimeout())) {
            LOG.warn("Broker {}: {} request(s) still in flight after {}; closing connections anyway", config.nodeId(),
                    server.inFlightRequests(), config.shutdownTimeout());
        } else {
            LOG.info("Broker {}: in-flight requests finished", config.nodeId());
        }
        server.closeConnections();
        LOG.info("Broker {}: client connections closed", config.nodeId());
        metadata.unsubscribe(registry);
        metadata.unsubscribe(groups);
        try {
            registry.closeAll().get(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Broker {}: partitions closed", config.nodeId());
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Broker {}: closing partitions did not finish cleanly", config.nodeId(), e);
        }
        if (heartbeats != null) {
            heartbeats.shutdown();
        }
        retention.shutdown();
        groups.shutdown(config.shutdownTimeout());
        agents.shutdown(config.shutdownTimeout());
        server.shutdown();
        LOG.info("Broker {} stopped", config.nodeId());
    }
}
