package dev.stratus.server.config;

import static dev.stratus.server.config.ConfigType.bool;
import static dev.stratus.server.config.ConfigType.intRange;
import static dev.stratus.server.config.ConfigType.longRange;
import static dev.stratus.server.config.ConfigType.oneOf;
import static dev.stratus.server.config.ConfigType.string;

import dev.stratus.metadata.config.TopicConfigKey;
import dev.stratus.metadata.config.TopicConfigs;
import dev.stratus.metadata.quorum.QuorumSettings;
import dev.stratus.metadata.quorum.QuorumVoter;
import dev.stratus.storage.objects.s3.S3Config;
import dev.stratus.storage.objects.s3.S3RetryPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's configuration: every key Stratus understands, parsed and validated once at
 * startup. Unknown keys are logged and ignored; keys about replication, which Stratus leaves
 * to its storage, are accepted and ignored with a line saying so; keys asking for what this
 * version cannot do safely (security, dynamic-quorum keys) stop startup
 * ({@link RefusedKeys}); an invalid value stops
 * startup with a {@link ConfigException} naming the key and what it accepts. Immutable.
 */
public final class ServerConfig {

    private static final Logger log = LoggerFactory.getLogger(ServerConfig.class);

    private static final Map<String, ConfigKey<?>> KEYS = new LinkedHashMap<>();

    // ---- Kafka keys with Kafka's meaning ----
    public static final ConfigKey<Integer> NODE_ID = define("node.id", intRange(0, Integer.MAX_VALUE), "1",
            "The id of this node, unique in the cluster.");
    public static final ConfigKey<String> PROCESS_ROLES = define("process.roles",
            oneOf("broker,controller", "controller,broker", "broker", "controller"), "broker,controller",
            "The roles of this process: a broker serves Kafka clients, a controller is a member of the controller quorum.");
    public static final ConfigKey<String> LISTENERS = define("listeners", string(), "PLAINTEXT://127.0.0.1:9092",
            "Where this node listens, NAME://host:port,...: PLAINTEXT for Kafka clients (brokers), and the listener "
                    + "named by controller.listener.names for the quorum (controllers). Port 0 picks a free port.");
    public static final ConfigKey<String> CONTROLLER_LISTENER_NAMES = define("controller.listener.names", string(),
            "CONTROLLER", "The name of the quorum's listener in listeners (one name).");
    public static final ConfigKey<String> CONTROLLER_QUORUM_VOTERS = define("controller.quorum.voters", string(), null,
            "The controller quorum, id@host:port,...: the node ids and quorum listeners of its voters. Unset: a single "
                    + "node with its own local metadata journal.");
    public static final ConfigKey<Long> CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS = define("controller.quorum.election.timeout.ms",
            longRange(100, 600_000), "2000", "A voter that hears nothing from a leader for between this and twice this "
                    + "starts an election. Longer than a GC pause of the controller's heap.");
    public static final ConfigKey<Long> CONTROLLER_QUORUM_REQUEST_TIMEOUT_MS = define("controller.quorum.request.timeout.ms",
            longRange(100, 600_000), "10000", "How long one request to the controller quorum waits for an answer before it is retried.");
    public static final ConfigKey<Long> METADATA_SNAPSHOT_INTERVAL_ENTRIES = define("metadata.snapshot.interval.entries",
            longRange(10, Long.MAX_VALUE), "10000",
            "A controller snapshots its metadata every this many log entries and drops the log before the snapshot.");
    public static final ConfigKey<Long> METADATA_LOG_SEGMENT_BYTES = define("metadata.log.segment.bytes",
            longRange(64 << 10, 1L << 30), String.valueOf(8L << 20), "The size of one metadata log segment file.");
    public static final ConfigKey<Long> BROKER_HEARTBEAT_INTERVAL_MS = define("broker.heartbeat.interval.ms",
            longRange(10, 600_000), "2000", "How often a broker renews its lease with the controller.");
    public static final ConfigKey<Long> BROKER_SESSION_TIMEOUT_MS = define("broker.session.timeout.ms",
            longRange(100, 3_600_000), "9000", "A broker whose lease goes this long without a heartbeat is fenced: it may "
                    + "no longer change streams or objects until it registers again.");
    public static final ConfigKey<String> BROKER_RACK = define("broker.rack", string(), null,
            "The rack (or availability zone) of this broker; new partitions spread over racks.");
    public static final ConfigKey<String> ADVERTISED_LISTENERS = define("advertised.listeners", string(), null,
            "The address given to clients in metadata responses; defaults to listeners (with the bound port).");
    public static final ConfigKey<String> LOG_DIRS = define("log.dirs", string(), "./data",
            "The node's data directory; the WAL, the embedded object store and the metadata journal live under it "
                    + "unless configured elsewhere. One directory.");
    public static final ConfigKey<Integer> NUM_PARTITIONS = define("num.partitions", intRange(1, 10_000), "1",
            "Partitions of an automatically created topic, or of a CreateTopics request that leaves the count to the broker.");
    public static final ConfigKey<Boolean> AUTO_CREATE_TOPICS = define("auto.create.topics.enable", bool(), "true",
            "Create a topic when a client asks for metadata of, or produces to, a topic that does not exist.");
    public static final ConfigKey<Long> LOG_RETENTION_MS = define("log.retention.ms", longRange(-1, Long.MAX_VALUE), "604800000",
            "How long to keep data (-1 forever), the default of the topic config retention.ms; enforced by trimming.");
    public static final ConfigKey<Long> LOG_RETENTION_CHECK_INTERVAL_MS = define("log.retention.check.interval.ms",
            longRange(1, Long.MAX_VALUE), "300000", "How often partitions are checked for data past retention.ms or retention.bytes.");
    public static final ConfigKey<Integer> OFFSETS_TOPIC_NUM_PARTITIONS = define("offsets.topic.num.partitions",
            intRange(1, 10_000), "50", "Partitions of the internal __consumer_offsets topic when it is created.");
    public static final ConfigKey<Integer> GROUP_MIN_SESSION_TIMEOUT_MS = define("group.min.session.timeout.ms",
            intRange(0, Integer.MAX_VALUE), "6000", "The shortest session timeout a group member may ask for.");
    public static final ConfigKey<Integer> GROUP_MAX_SESSION_TIMEOUT_MS = define("group.max.session.timeout.ms",
            intRange(0, Integer.MAX_VALUE), "1800000", "The longest session timeout a group member may ask for.");
    public static final ConfigKey<Integer> GROUP_INITIAL_REBALANCE_DELAY_MS = define("group.initial.rebalance.delay.ms",
            intRange(0, Integer.MAX_VALUE), "3000", "How long the first rebalance of an empty group waits for more members.");
    public static final ConfigKey<Integer> GROUP_MAX_SIZE = define("group.max.size", intRange(1, Integer.MAX_VALUE),
            String.valueOf(Integer.MAX_VALUE), "The most members a consumer group may have.");
    public static final ConfigKey<Integer> GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = define("group.consumer.heartbeat.interval.ms",
            intRange(1, Integer.MAX_VALUE), "5000", "KIP-848 consumer groups: how often members heartbeat.");
    public static final ConfigKey<Integer> GROUP_CONSUMER_SESSION_TIMEOUT_MS = define("group.consumer.session.timeout.ms",
            intRange(1, Integer.MAX_VALUE), "45000",
            "KIP-848 consumer groups: a member that does not heartbeat for this long is removed.");
    public static final ConfigKey<Integer> OFFSET_METADATA_MAX_BYTES = define("offset.metadata.max.bytes",
            intRange(0, Integer.MAX_VALUE), "4096", "The longest metadata string a committed offset may carry.");
    public static final ConfigKey<Integer> MESSAGE_MAX_BYTES = define("message.max.bytes", intRange(0, Integer.MAX_VALUE), "1048588",
            "The largest record batch the broker accepts.");
    public static final ConfigKey<Integer> SOCKET_REQUEST_MAX_BYTES = define("socket.request.max.bytes",
            intRange(1, Integer.MAX_VALUE), "104857600",
            "The largest request frame; a larger frame closes the connection.");
    public static final ConfigKey<Integer> FETCH_MAX_BYTES = define("fetch.max.bytes", intRange(1024, Integer.MAX_VALUE),
            "57671680", "The most bytes one Fetch response carries, whatever the client asks for.");
    public static final ConfigKey<Integer> NUM_NETWORK_THREADS = define("num.network.threads", intRange(1, 256), "3",
            "Threads (Netty event loops) that read requests and write responses.");
    public static final ConfigKey<Integer> NUM_IO_THREADS = define("num.io.threads", intRange(1, 256), "2",
            "Partition agents: single-threaded owners of partition leaders that validate and append.");
    public static final ConfigKey<String> CREATE_TOPIC_POLICY_CLASS_NAME = define("create.topic.policy.class.name", string(), null,
            "A class implementing org.apache.kafka.server.policy.CreateTopicPolicy, on the server's class path, asked "
                    + "before every topic creation (POLICY_VIOLATION when it refuses).");
    public static final ConfigKey<String> ALTER_CONFIG_POLICY_CLASS_NAME = define("alter.config.policy.class.name", string(), null,
            "A class implementing org.apache.kafka.server.policy.AlterConfigPolicy, on the server's class path, asked "
                    + "before every change of a topic's configs (POLICY_VIOLATION when it refuses).");
    public static final ConfigKey<String> CLUSTER_ID = define("cluster.id", string(), null,
            "The cluster id; generated on first start and kept in log.dirs/meta.properties when not set.");

    // ---- Stratus keys ----
    public static final ConfigKey<String> WAL_TYPE = define("wal.type", oneOf("file", "object"), "file",
            "The write-ahead log: 'file' (a preallocated local file, fsynced) or 'object' (WAL objects in object storage "
                    + "every wal.object.interval.ms: higher latency, but any node can recover a dead node's WAL).");
    public static final ConfigKey<String> WAL_PATH = define("wal.path", string(), null,
            "The WAL file; defaults to <log.dirs>/wal/wal.data.");
    public static final ConfigKey<Long> WAL_CAPACITY_BYTES = define("wal.capacity.bytes",
            longRange(1L << 20, 1L << 40), String.valueOf(2L << 30),
            "Size of the WAL ring. When un-uploaded data fills it, produce waits for an upload, then fails with a retriable error.");
    public static final ConfigKey<Long> PARTITION_CHECKPOINT_BYTES = define("partition.checkpoint.bytes",
            longRange(64 << 10, 1L << 40), String.valueOf(8L << 20), "Bytes appended to a partition between two of its "
                    + "checkpoints (producer state, leader epochs, index), also written when it closes: the most a new "
                    + "leader reads of the partition's data before it serves.");
    public static final ConfigKey<Long> WAL_UPLOAD_THRESHOLD_BYTES = define("wal.upload.threshold.bytes",
            longRange(1L << 10, 1L << 40), String.valueOf(64L << 20),
            "Upload WAL data to object storage once this many bytes are waiting.");
    public static final ConfigKey<Long> WAL_UPLOAD_INTERVAL_MS = define("wal.upload.interval.ms",
            longRange(10, Long.MAX_VALUE), "60000",
            "Upload WAL data at least this often, however little is waiting.");
    public static final ConfigKey<Long> LOG_CACHE_BYTES = define("log.cache.bytes",
            longRange(1L << 20, 1L << 40), String.valueOf(256L << 20),
            "Memory for recent appends that serve tail reads without touching object storage.");
    public static final ConfigKey<Long> WAL_APPEND_TIMEOUT_MS = define("wal.append.timeout.ms",
            longRange(0, Long.MAX_VALUE), "10000",
            "How long a produce waits for room in a full WAL (or a failing object store) before it fails with the "
                    + "retriable KAFKA_STORAGE_ERROR. Keep it below producers' request.timeout.ms (30 s by default).");
    public static final ConfigKey<Long> WAL_OBJECT_INTERVAL_MS = define("wal.object.interval.ms", longRange(1, 60_000), "250",
            "wal.type=object: seal and write a WAL object at least this often while appends wait.");
    public static final ConfigKey<Integer> WAL_OBJECT_MAX_BYTES = define("wal.object.max.bytes",
            intRange(64 << 10, 1 << 30), String.valueOf(8 << 20),
            "wal.type=object: seal a WAL object as soon as it holds this many bytes.");
    public static final ConfigKey<Integer> WAL_OBJECT_MAX_INFLIGHT_OBJECTS = define("wal.object.max.inflight.objects",
            intRange(1, 64), "4", "wal.type=object: WAL objects written at once (acknowledged strictly in order).");
    public static final ConfigKey<Long> WAL_OBJECT_MAX_INFLIGHT_BYTES = define("wal.object.max.inflight.bytes",
            longRange(64 << 10, 1L << 40), String.valueOf(64L << 20),
            "wal.type=object: bytes of WAL objects being written at once; appends wait beyond it.");
    public static final ConfigKey<Long> BLOCK_CACHE_BYTES = define("block.cache.bytes", longRange(0, 1L << 40),
            String.valueOf(64L << 20), "Memory for decoded object data blocks that serve catch-up reads.");
    public static final ConfigKey<Long> READ_AHEAD_MAX_BYTES = define("read.ahead.max.bytes", longRange(0, 1L << 30),
            String.valueOf(4L << 20), "Largest read-ahead window of a sequential catch-up reader (0 turns read-ahead off).");
    public static final ConfigKey<Integer> CATCHUP_READ_THREADS = define("catchup.read.threads", intRange(1, 256), "2",
            "Threads serving reads from object storage, apart from appends and tail reads.");
    public static final ConfigKey<Integer> CATCHUP_READ_QUEUE_SIZE = define("catchup.read.queue.size",
            intRange(1, 1 << 20), "256", "Catch-up reads that may wait for a thread; beyond it reads fail retriably.");
    public static final ConfigKey<Long> STREAM_OBJECT_SPLIT_BYTES = define("stream.object.split.bytes",
            longRange(1, 1L << 40), String.valueOf(16L << 20),
            "A partition with at least this much data in one upload or compaction gets an object of its own.");
    public static final ConfigKey<Long> OBJECT_PREPARE_TTL_MS = define("object.prepare.ttl.ms", longRange(1, Long.MAX_VALUE),
            "600000", "How long an object may take from reserving its id to its commit; after it, an uncommitted "
                    + "object is an orphan that garbage collection deletes.");
    public static final ConfigKey<Long> COMPACTION_INTERVAL_MS = define("compaction.interval.ms", longRange(0, Long.MAX_VALUE),
            "300000", "How often compaction and object garbage collection run (0: never on their own).");
    public static final ConfigKey<Long> COMPACTION_MAX_BYTES_PER_SEC = define("compaction.max.bytes.per.sec",
            longRange(1, 1L << 40), String.valueOf(16L << 20),
            "Object storage bandwidth compaction may use, reads and writes together.");
    public static final ConfigKey<Long> COMPACTION_MAX_OBJECT_BYTES = define("compaction.max.object.bytes",
            longRange(1 << 20, 1L << 40), String.valueOf(64L << 20),
            "Largest object compaction writes; objects below half of it count as small and get merged.");
    public static final ConfigKey<Long> OBJECT_DELETION_GRACE_MS = define("object.deletion.grace.ms",
            longRange(0, Long.MAX_VALUE), "300000",
            "How long a replaced or unreferenced object stays readable before it is deleted, for reads already under way.");
    public static final ConfigKey<String> OBJECT_STORAGE_TYPE = define("object.storage.type", oneOf("fs", "s3"), "fs",
            "Where objects live: 'fs' (a local directory, the embedded default) or 's3' (AWS S3 or any S3-compatible store).");
    public static final ConfigKey<String> OBJECT_STORAGE_FS_PATH = define("object.storage.fs.path", string(), null,
            "The directory of the 'fs' object store; defaults to <log.dirs>/objects.");

    // ---- object.storage.type=s3 ----
    public static final ConfigKey<String> S3_BUCKET = define("s3.bucket", string(), null,
            "The bucket holding every object; required with object.storage.type=s3. It must exist.");
    public static final ConfigKey<String> S3_REGION = define("s3.region", string(), "us-east-1",
            "The bucket's region (the signing region for S3-compatible stores).");
    public static final ConfigKey<String> S3_ENDPOINT = define("s3.endpoint", string(), null,
            "Endpoint override, e.g. http://127.0.0.1:9000 for an S3-compatible store; unset for AWS.");
    public static final ConfigKey<Boolean> S3_PATH_STYLE_ACCESS = define("s3.path.style.access", bool(), "false",
            "Address buckets as http://endpoint/bucket instead of http://bucket.endpoint; most S3-compatible stores need true.");
    public static final ConfigKey<String> S3_ACCESS_KEY = define("s3.access.key", string(), null,
            "Static access key; unset to use the AWS default credentials chain (AWS_ACCESS_KEY_ID, profiles, roles).");
    public static final ConfigKey<String> S3_SECRET_KEY = define("s3.secret.key", string(), null,
            "Static secret key, set together with s3.access.key.");
    public static final ConfigKey<Long> S3_MULTIPART_PART_SIZE_BYTES = define("s3.multipart.part.size.bytes",
            longRange(S3Config.MIN_PART_SIZE_BYTES, S3Config.MAX_PART_SIZE_BYTES), String.valueOf(S3Config.DEFAULT_PART_SIZE_BYTES),
            "Objects larger than this are written with multipart upload, in parts of this size.");
    public static final ConfigKey<Integer> S3_MAX_INFLIGHT_REQUESTS = define("s3.max.inflight.requests", intRange(1, 4096),
            String.valueOf(S3Config.DEFAULT_MAX_INFLIGHT_REQUESTS),
            "The most S3 requests outstanding at once; more wait in a bounded line, beyond it calls fail retriably.");
    public static final ConfigKey<Long> S3_REQUEST_TIMEOUT_MS = define("s3.request.timeout.ms", longRange(100, 3_600_000),
            String.valueOf(S3Config.DEFAULT_REQUEST_TIMEOUT_MS), "How long one S3 request attempt may take before it is retried.");
    public static final ConfigKey<Integer> S3_RETRY_MAX_ATTEMPTS = define("s3.retry.max.attempts", intRange(1, 1000),
            String.valueOf(S3RetryPolicy.DEFAULT_MAX_ATTEMPTS),
            "Attempts per S3 request (the first included) on throttling, 5xx and timeouts.");
    public static final ConfigKey<Long> S3_RETRY_BACKOFF_MS = define("s3.retry.backoff.ms", longRange(1, 60_000),
            String.valueOf(S3RetryPolicy.DEFAULT_BASE_BACKOFF_MS), "Wait before the first retry; doubles with each failure, with jitter.");
    public static final ConfigKey<Long> S3_RETRY_BACKOFF_MAX_MS = define("s3.retry.backoff.max.ms", longRange(1, 600_000),
            String.valueOf(S3RetryPolicy.DEFAULT_MAX_BACKOFF_MS), "The longest wait between two attempts.");

    /** Kafka keys about replication and listeners, which Stratus leaves to its storage or does not need. */
    public static final Set<String> IGNORED_KEYS = Collections.unmodifiableSet(new TreeSet<>(List.of(
            "default.replication.factor", "min.insync.replicas", "offsets.topic.replication.factor",
            "transaction.state.log.replication.factor", "transaction.state.log.min.isr", "num.replica.fetchers",
            "replica.lag.time.max.ms", "unclean.leader.election.enable",
            "inter.broker.listener.name", "log.segment.bytes",
            "log.flush.interval.messages", "log.flush.interval.ms", "num.recovery.threads.per.data.dir",
            "socket.send.buffer.bytes", "socket.receive.buffer.bytes")));

    /** Broker keys that set the defaults of topic configs (log.retention.bytes, log.cleanup.policy, ...), by name. */
    private static final Map<String, TopicConfigKey> TOPIC_DEFAULTS = topicDefaults();

    private final Map<ConfigKey<?>, Object> values;
    private final Map<String, String> originals;

    private ServerConfig(Map<ConfigKey<?>, Object> values, Map<String, String> originals) {
        this.values = values;
        this.originals = originals;
    }

    private static <T> ConfigKey<T> define(String name, ConfigType<T> type, String defaultValue, String doc) {
        ConfigKey<T> key = new ConfigKey<>(name, type, defaultValue, doc);
        KEYS.put(name, key);
        return key;
    }

    private static Map<String, TopicConfigKey> topicDefaults() {
        Map<String, TopicConfigKey> byName = new HashMap<>();
        for (TopicConfigKey key : TopicConfigs.all()) {
            key.brokerSynonyms().forEach(synonym -> byName.put(synonym, key));
        }
        return Collections.unmodifiableMap(byName);
    }

    /** The broker keys that set defaults of topic configs, such as {@code log.retention.bytes}. */
    public static Set<String> topicDefaultKeys() {
        return TOPIC_DEFAULTS.keySet();
    }

    /** Every key this version understands, in definition order. */
    public static Map<String, ConfigKey<?>> keys() {
        return Collections.unmodifiableMap(KEYS);
    }

    /** Parses and validates; logs unknown and ignored keys. */
    public static ServerConfig parse(Map<String, String> properties) {
        Map<ConfigKey<?>, Object> values = new HashMap<>();
        for (ConfigKey<?> key : KEYS.values()) {
            String raw = properties.containsKey(key.name()) ? properties.get(key.name()) : key.defaultValue();
            if (raw != null && !(raw.isBlank() && key.defaultValue() == null)) {
                values.put(key, key.type().parse(key.name(), raw));
            }
        }
        for (String name : new TreeSet<>(properties.keySet())) {
            if (KEYS.containsKey(name) || RefusedKeys.owns(name)) {
                continue;
            }
            TopicConfigKey topicConfig = TOPIC_DEFAULTS.get(name);
            if (topicConfig != null && !IGNORED_KEYS.contains(name)) {
                String problem = topicConfig.check(properties.get(name));
                if (problem != null) {
                    throw new ConfigException("Invalid value '" + properties.get(name) + "' for configuration " + name
                            + " (the broker default of topic config " + topicConfig.name() + "): " + problem);
                }
                continue;
            }
            if (IGNORED_KEYS.contains(name)) {
                log.info("Ignoring {}={}: Stratus keeps data in shared storage and has no replicas or segments of its own",
                        name, properties.get(name));
            } else {
                log.warn("Ignoring unknown configuration {}", name);
            }
        }
        RefusedKeys.check(properties);
        if (((String) values.get(LOG_DIRS)).contains(",")) {
            throw new ConfigException("Invalid value '" + values.get(LOG_DIRS) + "' for configuration log.dirs: "
                    + "expected one directory; Stratus keeps data in object storage, not across local disks.");
        }
        ServerConfig config = new ServerConfig(values, Map.copyOf(properties));
        config.checkRolesAndListeners();
        config.advertisedListener();
        if (config.get(OBJECT_STORAGE_TYPE).equals("s3")) {
            config.s3Config();
        }
        return config;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        return (T) values.get(key);
    }

    public Map<String, String> originals() {
        return originals;
    }

    /** The Kafka listener (PLAINTEXT); null on a controller-only node. */
    public Listener listener() {
        return listeners().stream().filter(l -> !l.name().equals(controllerListenerName())).findFirst().orElse(null);
    }

    /** The quorum's listener (named by controller.listener.names), or null when none is configured. */
    public Listener controllerListener() {
        return listeners().stream().filter(l -> l.name().equals(controllerListenerName())).findFirst().orElse(null);
    }

    public List<Listener> listeners() {
        return Listener.parseAll(LISTENERS.name(), get(LISTENERS), Set.of(controllerListenerName()));
    }

    private String controllerListenerName() {
        return get(CONTROLLER_LISTENER_NAMES).trim().toUpperCase(java.util.Locale.ROOT);
    }

    public boolean isBroker() {
        return get(PROCESS_ROLES).contains("broker");
    }

    public boolean isController() {
        return get(PROCESS_ROLES).contains("controller");
    }

    /** True when this node belongs to a cluster with a controller quorum (controller.quorum.voters set). */
    public boolean inQuorum() {
        return get(CONTROLLER_QUORUM_VOTERS) != null && !get(CONTROLLER_QUORUM_VOTERS).isBlank();
    }

    /** The voters of controller.quorum.voters; empty without a quorum. */
    public List<QuorumVoter> voters() {
        if (!inQuorum()) {
            return List.of();
        }
        try {
            return QuorumVoter.parseAll(get(CONTROLLER_QUORUM_VOTERS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid value '" + get(CONTROLLER_QUORUM_VOTERS) + "' for configuration "
                    + CONTROLLER_QUORUM_VOTERS.name() + ": " + e.getMessage() + "; expected id@host:port,...");
        }
    }

    /**
     * Roles, listeners and quorum agree: a broker has a Kafka listener; without voters a node
     * must be both roles; a controller is a voter, and its quorum listener (if given) is its voter
     * address.
     */
    private void checkRolesAndListeners() {
        listeners();
        if (isBroker() && listener() == null) {
            throw new ConfigException("A broker needs a PLAINTEXT listener in listeners, e.g. PLAINTEXT://127.0.0.1:9092.");
        }
        if (!inQuorum()) {
            if (!isBroker() || !isController()) {
                throw new ConfigException("process.roles=" + get(PROCESS_ROLES) + " needs controller.quorum.voters: a "
                        + "separate broker or controller is part of a cluster with a controller quorum.");
            }
            return;
        }
        List<QuorumVoter> voters = voters();
        int nodeId = get(NODE_ID);
        QuorumVoter self = voters.stream().filter(v -> v.id() == nodeId).findFirst().orElse(null);
        if (isController() && self == null) {
            throw new ConfigException("node.id " + nodeId + " has the controller role but is not among controller.quorum.voters "
                    + get(CONTROLLER_QUORUM_VOTERS) + ".");
        }
        if (!isController() && self != null) {
            throw new ConfigException("node.id " + nodeId + " is a voter in controller.quorum.voters but process.roles="
                    + get(PROCESS_ROLES) + " has no controller role.");
        }
        Listener quorumListener = controllerListener();
        if (isController() && quorumListener != null && quorumListener.port() != self.port()) {
            throw new ConfigException("The " + quorumListener.name() + " listener port " + quorumListener.port()
                    + " differs from this node's voter address " + self + " in controller.quorum.voters.");
        }
        if (get(BROKER_SESSION_TIMEOUT_MS) <= get(BROKER_HEARTBEAT_INTERVAL_MS)) {
            throw new ConfigException("broker.session.timeout.ms (" + get(BROKER_SESSION_TIMEOUT_MS)
                    + ") must be longer than broker.heartbeat.interval.ms (" + get(BROKER_HEARTBEAT_INTERVAL_MS) + ").");
        }
    }

    /**
     * The quorum's settings for this node (voter or not). A controller's Raft server listens
     * privately: its voter address is the CONTROLLER listener, which serves Kafka's quorum tools
     * and relays the peers' gRPC.
     */
    public QuorumSettings quorumSettings(String clusterId) {
        long electionMs = get(CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS);
        return new QuorumSettings(get(NODE_ID), clusterId, voters(), dataDir().resolve("metadata").resolve("quorum"),
                electionMs, 2 * electionMs, get(CONTROLLER_QUORUM_REQUEST_TIMEOUT_MS), get(METADATA_SNAPSHOT_INTERVAL_ENTRIES),
                get(METADATA_LOG_SEGMENT_BYTES), true);
    }

    /** The advertised listener, or null when it should follow the bound listener. */
    public Listener advertisedListener() {
        String raw = get(ADVERTISED_LISTENERS);
        return raw == null ? null : Listener.parse(ADVERTISED_LISTENERS.name(), raw);
    }

    public Path dataDir() {
        return Path.of(get(LOG_DIRS)).toAbsolutePath().normalize();
    }

    public Path walPath() {
        String raw = get(WAL_PATH);
        return raw != null ? Path.of(raw).toAbsolutePath().normalize() : dataDir().resolve("wal").resolve("wal.data");
    }

    public Path objectStoragePath() {
        String raw = get(OBJECT_STORAGE_FS_PATH);
        return raw != null ? Path.of(raw).toAbsolutePath().normalize() : dataDir().resolve("objects");
    }

    /** The S3 object store's settings; a {@link ConfigException} names what is missing or wrong. */
    public S3Config s3Config() {
        String bucket = get(S3_BUCKET);
        if (bucket == null || bucket.isBlank()) {
            throw new ConfigException("Missing configuration s3.bucket: object.storage.type=s3 needs the name of an existing bucket.");
        }
        String accessKey = blankToNull(get(S3_ACCESS_KEY));
        String secretKey = blankToNull(get(S3_SECRET_KEY));
        if ((accessKey == null) != (secretKey == null)) {
            throw new ConfigException("Set both s3.access.key and s3.secret.key, or neither to use the AWS default credentials chain "
                    + "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, an instance or pod role).");
        }
        URI endpoint = null;
        String rawEndpoint = blankToNull(get(S3_ENDPOINT));
        if (rawEndpoint != null) {
            try {
                endpoint = new URI(rawEndpoint);
            } catch (URISyntaxException e) {
                endpoint = null;
            }
            if (endpoint == null || endpoint.getHost() == null
                    || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
                throw new ConfigException("Invalid value '" + rawEndpoint + "' for configuration s3.endpoint: expected "
                        + "http://host:port or https://host[:port].");
            }
        }
        long baseBackoffMs = get(S3_RETRY_BACKOFF_MS);
        long maxBackoffMs = get(S3_RETRY_BACKOFF_MAX_MS);
        if (maxBackoffMs < baseBackoffMs) {
            throw new ConfigException("s3.retry.backoff.max.ms (" + maxBackoffMs + ") must be at least s3.retry.backoff.ms ("
                    + baseBackoffMs + ").");
        }
        S3RetryPolicy retry = new S3RetryPolicy(get(S3_RETRY_MAX_ATTEMPTS), baseBackoffMs, maxBackoffMs);
        return S3Config.of(bucket.trim(), get(S3_REGION), endpoint, get(S3_PATH_STYLE_ACCESS), accessKey, secretKey)
                .withPartSizeBytes(get(S3_MULTIPART_PART_SIZE_BYTES))
                .withRequestLimits(get(S3_MAX_INFLIGHT_REQUESTS), S3Config.DEFAULT_MAX_QUEUED_REQUESTS)
                .withRequestTimeoutMs(get(S3_REQUEST_TIMEOUT_MS))
                .withRetry(retry);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    public Path metadataJournalPath() {
        return dataDir().resolve("metadata").resolve("metadata.log");
    }
}
