package dev.stratus.broker.partition;

import dev.stratus.broker.config.BrokerLogDefaults;
import dev.stratus.broker.config.LogConfig;
import dev.stratus.metadata.MetadataImage;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.storage.stream.StreamStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker leads, following the controller's metadata images: a partition
 * led by this node gets a {@link PartitionLeader} that opens its stream with the leader epoch;
 * a new epoch or stream replaces the leader; a partition led elsewhere is closed; a deleted
 * topic's partitions are closed and their streams deleted. Topic config changes reach the
 * leaders as a new {@link LogConfig}.
 *
 * <p>Thread: {@link #apply} runs on the controller's notification thread (serialised by a
 * lock against {@link #closeAll}); lookups are lock-free from any thread.
 */
public final class PartitionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionRegistry.class);

    private final int nodeId;
    private final StreamStore store;
    private final PartitionAgents agents;
    private final int messageMaxBytes;
    private final BrokerLogDefaults logDefaults;
    private final Clock clock;
    private final Map<PartitionKey, PartitionLeader> leaders = new ConcurrentHashMap<>();
    private final List<CompletableFuture<Void>> closing = new ArrayList<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;
    private long appliedVersion = -1;
    private boolean closed;

    public PartitionRegistry(int nodeId, StreamStore store, PartitionAgents agents, int messageMaxBytes) {
        this(nodeId, store, agents, messageMaxBytes, BrokerLogDefaults.none(), Clock.systemUTC());
    }

    public PartitionRegistry(int nodeId, StreamStore store, PartitionAgents agents, int messageMaxBytes,
                             BrokerLogDefaults logDefaults, Clock clock) {
        this.logDefaults = logDefaults;
        this.clock = clock;
        this.nodeId = nodeId;
        this.store = store;
        this.agents = agents;
        this.messageMaxBytes = messageMaxBytes;
    }

    /** The last image applied; what request handlers resolve topics against. */
    public MetadataImage image() {
        return image;
    }

    public PartitionLeader leader(UUID topicId, int partition) {
        return leaders.get(new PartitionKey(topicId, partition));
    }

    /** Every partition led here now. */
    public Collection<PartitionLeader> leaders() {
        return List.copyOf(leaders.values());
    }

    /** The broker defaults topic configs fall back to. */
    public BrokerLogDefaults logDefaults() {
        return logDefaults;
    }

    /** The effective configs of {@code topic}. */
    public LogConfig logConfig(TopicMetadata topic) {
        return LogConfig.resolve(topic.configs(), logDefaults);
    }

    public synchronized void apply(MetadataImage next) {
        if (closed || next.version() <= appliedVersion) {
            return;
        }
        appliedVersion = next.version();
        Map<PartitionKey, PartitionMetadata> wanted = new HashMap<>();
        for (TopicMetadata topic : next.topics()) {
            for (PartitionMetadata partition : topic.partitions()) {
                if (partition.leaderId() == nodeId) {
                    wanted.put(new PartitionKey(topic.topicId(), partition.partition()), partition);
                }
            }
        }
        for (Map.Entry<PartitionKey, PartitionLeader> entry : List.copyOf(leaders.entrySet())) {
            PartitionKey key = entry.getKey();
            PartitionMetadata target = wanted.get(key);
            PartitionLeader current = entry.getValue();
            if (target == null) {
                boolean deleted = next.topic(key.topicId()) == null;
                leaders.remove(key);
                track(current.close(deleted ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.NOT_LEADER_OR_FOLLOWER, deleted));
            } else if (target.streamId() != current.streamId() || target.leaderEpoch() != current.leaderEpoch()) {
                leaders.remove(key);
                track(current.close(Errors.NOT_LEADER_OR_FOLLOWER, false));
            } else {
                LogConfig config = logConfig(next.topic(key.topicId()));
                if (!config.equals(current.logConfig())) {
                    current.updateLogConfig(config);
                }
            }
        }
        for (Map.Entry<PartitionKey, PartitionMetadata> entry : wanted.entrySet()) {
            PartitionKey key = entry.getKey();
            if (!leaders.containsKey(key)) {
                PartitionMetadata target = entry.getValue();
                PartitionLeader leader = new PartitionLeader(key, target.topic(), target.streamId(),
                        target.leaderEpoch(), messageMaxBytes, logConfig(next.topic(key.topicId())), clock,
                        agents.agentFor(key), store);
                leaders.put(key, leader);
                leader.open();
            }
        }
        image = next;
    }

    /** Closes every partition (uploading its stream); completes when all are closed. */
    public CompletableFuture<Void> closeAll() {
        List<CompletableFuture<Void>> all;
        synchronized (this) {
            closed = true;
            for (PartitionLeader leader : leaders.values()) {
                track(leader.close(Errors.NOT_LEADER_OR_FOLLOWER, false));
            }
            LOG.info("Closing {} partition(s)", leaders.size());
            leaders.clear();
            all = List.copyOf(closing);
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** Wakes every long-polling reader of every partition, so that they re-check and answer. */
    public void wakeReaders() {
        leaders.values().forEach(PartitionLeader::wakeConfirmWaiters);
    }

    public int size() {
        return leaders.size();
    }

    private void track(CompletableFuture<Void> close) {
        closing.removeIf(CompletableFuture::isDone);
        closing.add(close);
    }
}
