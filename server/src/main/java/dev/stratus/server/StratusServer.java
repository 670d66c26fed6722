package dev.stratus.server;

import dev.stratus.broker.Broker;
import dev.stratus.broker.BrokerClusterSettings;
import dev.stratus.broker.BrokerConfig;
import dev.stratus.broker.config.BrokerLogDefaults;
import dev.stratus.broker.controller.ControllerListener;
import dev.stratus.broker.group.GroupCoordinatorConfig;
import dev.stratus.broker.policy.TopicPolicies;
import dev.stratus.metadata.ProducerIdController;
import dev.stratus.metadata.TopicController;
import dev.stratus.metadata.cluster.QuorumFollower;
import dev.stratus.metadata.cluster.QuorumMember;
import dev.stratus.metadata.controller.QuorumController;
import dev.stratus.metadata.image.ImageStreamMetadataView;
import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.log.LocalMetadataLog;
import dev.stratus.metadata.log.MetadataLog;
import dev.stratus.metadata.quorum.QuorumSettings;
import dev.stratus.server.config.ConfigException;
import dev.stratus.server.config.Listener;
import dev.stratus.server.config.ServerConfig;
import dev.stratus.server.config.TopicPolicyPlugins;
import dev.stratus.storage.engine.StorageConfig;
import dev.stratus.storage.engine.StreamStorageEngine;
import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.objects.FsObjectStorage;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.objects.ObjectStorageException;
import dev.stratus.storage.objects.s3.S3Config;
import dev.stratus.storage.objects.s3.S3ObjectStorage;
import dev.stratus.storage.objects.s3.S3StartupCheckException;
import dev.stratus.storage.wal.ObjectWalConfig;
import dev.stratus.storage.wal.WalType;
import dev.stratus.storage.wal.WriteAheadLog;
import dev.stratus.storage.wal.WriteAheadLogFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Stratus node, broker, controller or both: wires the metadata (the local journal and
 * controller on a single node; a quorum member and/or the quorum's client in a cluster), the
 * storage engine and the broker together, starts them in dependency order and stops them in
 * reverse. Lifecycle methods are called by one thread (main, or the shutdown thread).
 */
public final class StratusServer {

    private static final Logger log = LoggerFactory.getLogger(StratusServer.class);

    /** How long a graceful shutdown may spend uploading the WAL before it gives up and stops hard. */
    private static final Duration STORAGE_SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration BROKER_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private final ServerConfig config;
    private final Clock clock;
    private final List<DirectoryLock> locks = new ArrayList<>();
    private MetadataLog metadataLog;
    private MetadataLoader metadata;
    private QuorumController controller;
    private QuorumMember quorumMember;
    private ControllerListener controllerListener;
    private QuorumFollower quorumFollower;
    private TopicController topicController;
    private ProducerIdController producerIds;
    private StreamMetadataStore streamMetadata;
    private ObjectStorage objectStorage;
    private WriteAheadLog wal;
    private long walStartPosition;
    private StreamStorageEngine storage;
    private Broker broker;
    private TopicPolicies policies;
    private volatile StorageUsage storageUsage;
    private volatile boolean failed;
    private boolean stopped;

    public StratusServer(ServerConfig config) {
        this(config, Clock.systemUTC());
    }

    public StratusServer(ServerConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Starts every part; on failure stops what was started and rethrows. */
    public synchronized void start() throws Exception {
        int nodeId = config.get(ServerConfig.NODE_ID);
        try {
            lockDirectories();
            ClusterIdentity identity = config.inQuorum()
                    ? ClusterIdentity.loadFormatted(config.dataDir(), config.get(ServerConfig.CLUSTER_ID), nodeId)
                    : ClusterIdentity.loadOrCreate(config.dataDir(), config.get(ServerConfig.CLUSTER_ID), nodeId);
            log.info("Starting Stratus node {} ({}) of cluster {}, data in {}", nodeId, config.get(ServerConfig.PROCESS_ROLES),
                    identity.clusterId(), config.dataDir());
            metadata = new MetadataLoader();
            startMetadata(identity.clusterId(), nodeId);
            if (config.isBroker()) {
                startBroker(identity.clusterId(), nodeId);
            }
        } catch (Exception e) {
            failed = true;
            stopHard();
            throw e;
        }
    }

    /**
     * The node's metadata: on a single node, its own journal and controller; in a cluster, a
     * quorum member (controllers) and the client of the active controller (brokers), which on a
     * broker-only node also fetches the metadata.
     */
    private void startMetadata(String clusterId, int nodeId) throws Exception {
        if (!config.inQuorum()) {
            metadataLog = LocalMetadataLog.open(nodeId, config.metadataJournalPath());
            metadataLog.start(metadata);
            QuorumController local = new QuorumController(metadataLog, metadata, clock);
            controller = local;
            topicController = local;
            producerIds = local;
            streamMetadata = local;
            log.info("Controller ready: {} topics, {} streams, {} objects", metadata.image().topics().size(),
                    metadata.image().streams().all().size(), metadata.image().objects().liveCount());
            return;
        }
        QuorumSettings quorum = config.quorumSettings(clusterId);
        if (config.isController()) {
            quorumMember = QuorumMember.start(quorum, metadata, clock, config.get(ServerConfig.BROKER_SESSION_TIMEOUT_MS));
            Listener listener = config.controllerListener();
            controllerListener = ControllerListener.start(listener != null ? listener.host() : quorum.self().host(),
                    quorum.self().port(), clusterId, quorum.voters(), quorumMember, metadata, clock);
            log.info("Stratus node {}: controller quorum member on {} (voters {}), its Raft server behind it on {}", nodeId,
                    quorum.self(), quorum.voters(), quorumMember.log().raftAddress());
        }
        if (config.isBroker()) {
            quorumFollower = QuorumFollower.start(quorum, metadata, !config.isController());
            quorumFollower.caughtUp().get(config.get(ServerConfig.CONTROLLER_QUORUM_REQUEST_TIMEOUT_MS) * 6,
                    TimeUnit.MILLISECONDS);
            topicController = quorumFollower.controller();
            producerIds = quorumFollower.controller();
            streamMetadata = quorumFollower.controller();
            log.info("Stratus node {}: metadata caught up to offset {} ({} brokers, {} topics)", nodeId,
                    metadata.image().offset(), metadata.image().brokers().all().size(), metadata.image().topics().size());
        }
    }

    private void startBroker(String clusterId, int nodeId) throws Exception {
        objectStorage = openObjectStorage();
        StorageConfig storageConfig = storageConfig(config);
        WalType walType = WalType.parse(config.get(ServerConfig.WAL_TYPE));
        ObjectWalConfig objectWalConfig = objectWalConfig(config, nodeId);
        HeapBudget heapBudget = HeapBudget.of(storageConfig, walType, storageConfig.walConfig(), objectWalConfig,
                objectStorage);
        long maxHeap = Runtime.getRuntime().maxMemory();
        heapBudget.check(maxHeap);
        log.info("Heap: {} MiB; storage holds at most {}", maxHeap >> 20, heapBudget.describe());
        wal = WriteAheadLogFactory.create(walType, storageConfig.walConfig(), objectWalConfig, objectStorage, clock);
        storage = new StreamStorageEngine(storageConfig, wal, objectStorage, streamMetadata,
                new ImageStreamMetadataView(metadata), clock, () -> metadata.image().brokers().compactionOwner() == nodeId);
        storage.start().get();
        walStartPosition = wal.confirmedPosition();
        log.info("Storage engine ready: {} WAL {} ({} bytes)", walType.name().toLowerCase(Locale.ROOT),
                walType == WalType.OBJECT ? "objects under wal/" + nodeId + "/" : config.walPath(),
                config.get(ServerConfig.WAL_CAPACITY_BYTES));

        policies = TopicPolicyPlugins.load(config);
        broker = new Broker(brokerConfig(clusterId), storage, topicController, producerIds, metadata, clock, policies,
                quorumFollower == null ? null : quorumFollower.controller());
        int port = broker.start();
        log.info("Stratus node {} started: Kafka clients connect to {}:{}", nodeId, advertisedHost(), port);
    }

    /** The port the Kafka listener is bound to. */
    public int boundPort() {
        return broker == null ? -1 : broker.boundPort();
    }

    /** What storage did from start to the end of the graceful shutdown; null until {@link #shutdown()} has run. */
    public StorageUsage storageUsage() {
        return storageUsage;
    }

    /** True when startup or shutdown failed; the process should then exit non-zero. */
    public boolean failed() {
        return failed;
    }

    /**
     * Graceful stop: the broker stops accepting and finishes in-flight requests, the storage
     * engine uploads the WAL and trims it, then the controller closes. Idempotent.
     */
    public synchronized void shutdown() {
        if (stopped) {
            return;
        }
        stopped = true;
        log.info("Shutting down Stratus");
        try {
            if (broker != null) {
                broker.shutdown();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failed = true;
            log.error("Broker shutdown failed", e);
        }
        if (storage != null) {
            try {
                storage.shutdown().get(STORAGE_SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                log.info("WAL uploaded and trimmed");
            } catch (TimeoutException e) {
                failed = true;
                log.error("WAL upload did not finish within {}; stopping without it (the WAL is replayed at the next start)",
                        STORAGE_SHUTDOWN_TIMEOUT);
            } catch (Exception e) {
                failed = true;
                log.error("WAL upload at shutdown failed (the WAL is replayed at the next start)", e);
            }
            storage.close();
            storageUsage = StorageUsage.capture(wal, walStartPosition, objectStorage.stats());
            log.info(storageUsage.logLine());
        }
        closeRest();
        log.info("Stratus stopped");
    }

    private void stopHard() {
        stopped = true;
        try {
            if (broker != null) {
                broker.shutdown();
            }
        } catch (Exception e) {
            log.warn("Stopping the broker failed", e);
        }
        if (storage != null) {
            storage.close();
        }
        closeRest();
    }

    private void closeRest() {
        if (policies != null) {
            policies.close();
        }
        if (objectStorage != null) {
            objectStorage.close();
        }
        if (controller != null) {
            controller.close();
        }
        if (metadataLog != null) {
            metadataLog.close();
        }
        if (quorumFollower != null) {
            quorumFollower.close();
        }
        if (quorumMember != null) {
            quorumMember.close();
        }
        if (controllerListener != null) {
            controllerListener.close();
        }
        // Last: nothing of this node writes to its directories any more.
        for (DirectoryLock lock : locks) {
            try {
                lock.close();
            } catch (IOException e) {
                log.warn("Releasing {} failed", lock.file(), e);
            }
        }
        locks.clear();
    }

    /**
     * Locks what this node writes for the life of the process: the data directory, and the WAL
     * file and the fs object store wherever they lie outside it, so that a second process given
     * the same paths refuses to start instead of corrupting them.
     */
    private void lockDirectories() throws IOException {
        Path dataDir = config.dataDir();
        locks.add(DirectoryLock.lockDirectory(dataDir, "the data directory " + dataDir + " (log.dirs)", false));
        Path walPath = config.walPath();
        boolean fileWal = WalType.parse(config.get(ServerConfig.WAL_TYPE)) == WalType.FILE;
        // A block device holds no lock file beside it; only regular (or not yet created) WAL files are locked.
        if (!config.isBroker()) {
            return;
        }
        if (fileWal && !walPath.startsWith(dataDir) && (!Files.exists(walPath) || Files.isRegularFile(walPath))) {
            locks.add(DirectoryLock.lockFile(walPath.resolveSibling(walPath.getFileName() + DirectoryLock.FILE_NAME),
                    "the WAL " + walPath + " (wal.path)", false));
        }
        Path objects = config.objectStoragePath();
        if (config.get(ServerConfig.OBJECT_STORAGE_TYPE).equals("fs") && !objects.startsWith(dataDir)) {
            // The brokers of a cluster share one object store; a single node owns its own.
            locks.add(DirectoryLock.lockDirectory(objects, "the object store " + objects + " (object.storage.fs.path)",
                    config.inQuorum()));
        }
    }

    /** The configured object store, checked before anything is written to it. */
    private ObjectStorage openObjectStorage() throws InterruptedException {
        if (!config.get(ServerConfig.OBJECT_STORAGE_TYPE).equals("s3")) {
            log.info("Object storage: fs at {}", config.objectStoragePath());
            return new FsObjectStorage(config.objectStoragePath());
        }
        S3Config s3 = config.s3Config();
        S3ObjectStorage store = S3ObjectStorage.open(s3);
        objectStorage = store;
        long checkTimeoutMs = Math.max(30_000, 3 * s3.requestTimeoutMs());
        try {
            store.verify().get(checkTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = ObjectStorageException.unwrap(e);
            // A missing bucket, bad credentials, a wrong endpoint: the message says which, and how to fix it.
            throw new ConfigException(cause instanceof S3StartupCheckException ? cause.getMessage()
                    : "S3 startup check failed on bucket '" + s3.bucket() + "' at " + s3.describeEndpoint() + ": " + cause);
        } catch (TimeoutException e) {
            throw new ConfigException("S3 at " + s3.describeEndpoint() + " did not answer the startup check within "
                    + checkTimeoutMs + " ms. Check s3.endpoint and that the store is running and reachable.");
        }
        log.info("Object storage: s3 bucket '{}' at {} (startup check passed: list, write, read back, delete)",
                s3.bucket(), s3.describeEndpoint());
        return store;
    }

    /** The storage engine's settings from the server's. */
    static StorageConfig storageConfig(ServerConfig config) {
        long capacity = config.get(ServerConfig.WAL_CAPACITY_BYTES);
        int messageMaxBytes = config.get(ServerConfig.MESSAGE_MAX_BYTES);
        if ((long) messageMaxBytes * 4 > capacity) {
            throw new ConfigException("message.max.bytes " + messageMaxBytes + " is too large for wal.capacity.bytes "
                    + capacity + ": the WAL must hold at least four of the largest batches.");
        }
        // A batch is stored as the producer sent it; Kafka bounds it by message.max.bytes.
        int maxRecordBytes = Math.max(messageMaxBytes, 1024);
        return new StorageConfig(config.walPath(), capacity, config.get(ServerConfig.WAL_APPEND_TIMEOUT_MS),
                config.get(ServerConfig.WAL_UPLOAD_THRESHOLD_BYTES), config.get(ServerConfig.WAL_UPLOAD_INTERVAL_MS),
                config.get(ServerConfig.LOG_CACHE_BYTES), maxRecordBytes,
                config.get(ServerConfig.STREAM_OBJECT_SPLIT_BYTES), config.get(ServerConfig.OBJECT_PREPARE_TTL_MS),
                config.get(ServerConfig.COMPACTION_INTERVAL_MS), config.get(ServerConfig.COMPACTION_MAX_BYTES_PER_SEC),
                config.get(ServerConfig.COMPACTION_MAX_OBJECT_BYTES), config.get(ServerConfig.OBJECT_DELETION_GRACE_MS),
                config.get(ServerConfig.BLOCK_CACHE_BYTES), config.get(ServerConfig.READ_AHEAD_MAX_BYTES),
                config.get(ServerConfig.CATCHUP_READ_THREADS), config.get(ServerConfig.CATCHUP_READ_QUEUE_SIZE));
    }

    /** Settings of the object WAL; used only when wal.type=object. */
    static ObjectWalConfig objectWalConfig(ServerConfig config, int nodeId) {
        long capacity = config.get(ServerConfig.WAL_CAPACITY_BYTES);
        long inFlightBytes = Math.min(config.get(ServerConfig.WAL_OBJECT_MAX_INFLIGHT_BYTES), capacity);
        int objectBytes = config.get(ServerConfig.WAL_OBJECT_MAX_BYTES);
        if (objectBytes > inFlightBytes) {
            throw new ConfigException("wal.object.max.bytes " + objectBytes + " must not exceed wal.object.max.inflight.bytes "
                    + inFlightBytes + " (nor wal.capacity.bytes).");
        }
        ObjectWalConfig defaults = ObjectWalConfig.defaults(nodeId);
        return new ObjectWalConfig(nodeId, nodeId, config.get(ServerConfig.WAL_OBJECT_INTERVAL_MS), objectBytes,
                config.get(ServerConfig.WAL_OBJECT_MAX_INFLIGHT_OBJECTS), inFlightBytes,
                config.get(ServerConfig.WAL_APPEND_TIMEOUT_MS), capacity, defaults.readCacheBytes(), defaults.queueCapacity(),
                defaults.minRetryBackoffMs(), defaults.maxRetryBackoffMs());
    }

    private BrokerConfig brokerConfig(String clusterId) {
        Listener listener = config.listener();
        Listener advertised = config.advertisedListener();
        return new BrokerConfig(
                config.get(ServerConfig.NODE_ID),
                listener.host(),
                listener.port(),
                advertised != null ? advertised.host() : advertisedHost(),
                advertised != null ? advertised.port() : 0,
                clusterId,
                config.get(ServerConfig.NUM_PARTITIONS),
                config.get(ServerConfig.AUTO_CREATE_TOPICS),
                config.get(ServerConfig.MESSAGE_MAX_BYTES),
                config.get(ServerConfig.SOCKET_REQUEST_MAX_BYTES),
                config.get(ServerConfig.FETCH_MAX_BYTES),
                config.get(ServerConfig.NUM_NETWORK_THREADS),
                config.get(ServerConfig.NUM_IO_THREADS),
                100,
                BROKER_SHUTDOWN_TIMEOUT,
                BrokerLogDefaults.of(config.originals()),
                config.get(ServerConfig.LOG_RETENTION_CHECK_INTERVAL_MS),
                config.dataDir().toString(),
                new GroupCoordinatorConfig(config.get(ServerConfig.OFFSETS_TOPIC_NUM_PARTITIONS),
                        config.get(ServerConfig.GROUP_MIN_SESSION_TIMEOUT_MS), config.get(ServerConfig.GROUP_MAX_SESSION_TIMEOUT_MS),
                        config.get(ServerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS), config.get(ServerConfig.GROUP_MAX_SIZE),
                        config.get(ServerConfig.OFFSET_METADATA_MAX_BYTES),
                        config.get(ServerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS),
                        config.get(ServerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS)))
                .withPartitionCheckpointBytes(config.get(ServerConfig.PARTITION_CHECKPOINT_BYTES))
                .withCluster(new BrokerClusterSettings(config.get(ServerConfig.BROKER_RACK),
                        config.inQuorum() ? config.get(ServerConfig.BROKER_HEARTBEAT_INTERVAL_MS) : 0,
                        config.inQuorum() ? config.voters() : List.of()));
    }

    /** Clients cannot connect to a wildcard address: advertise the loopback host for it. */
    private String advertisedHost() {
        Listener advertised = config.advertisedListener();
        if (advertised != null) {
            return advertised.host();
        }
        String host = config.listener().host();
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }
}
