package dev.stratus.broker.partition;

import dev.stratus.broker.config.BrokerLogDefaults;
import dev.stratus.broker.config.LogConfig;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.MetadataDelta;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.image.MetadataPublisher;
import dev.stratus.storage.stream.StreamStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker leads, following the node's committed metadata deltas: a
 * partition led by this node gets a {@link PartitionLeader} that opens its stream with the
 * leader epoch; a new epoch or stream replaces the leader; a partition led elsewhere is closed;
 * a deleted topic's partitions are closed and their streams deleted. Topic config changes reach
 * the leaders as a new {@link LogConfig}.
 *
 * <p>Thread: {@link #onMetadataUpdate} runs on the metadata loader's thread (serialised by a
 * lock against {@link #closeAll}); lookups are lock-free from any thread.
 */
public final class PartitionRegistry implements MetadataPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionRegistry.class);

    private final int nodeId;
    private final StreamStore store;
    private final PartitionAgents agents;
    private final int messageMaxBytes;
    private final BrokerLogDefaults logDefaults;
    private final Clock clock;
    private final long checkpointIntervalBytes;
    private volatile PartitionHandover handover = PartitionHandover.NONE;
    private final Map<PartitionKey, PartitionLeader> leaders = new ConcurrentHashMap<>();
    private final List<CompletableFuture<Void>> closing = new ArrayList<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;
    private boolean closed;

    public PartitionRegistry(int nodeId, StreamStore store, PartitionAgents agents, int messageMaxBytes) {
        this(nodeId, store, agents, messageMaxBytes, BrokerLogDefaults.none(), Clock.systemUTC(),
                PartitionLeader.DEFAULT_CHECKPOINT_INTERVAL_BYTES);
    }

    /** @param checkpointIntervalBytes bytes appended to a partition between two of its checkpoints */
    public PartitionRegistry(int nodeId, StreamStore store, PartitionAgents agents, int messageMaxBytes,
                             BrokerLogDefaults logDefaults, Clock clock, long checkpointIntervalBytes) {
        this.checkpointIntervalBytes = checkpointIntervalBytes;
        this.logDefaults = logDefaults;
        this.clock = clock;
        this.nodeId = nodeId;
        this.store = store;
        this.agents = agents;
        this.messageMaxBytes = messageMaxBytes;
    }

    /** Who hears that a partition was closed for its move (the controller, through the broker's registration). */
    public void setHandover(PartitionHandover handover) {
        this.handover = handover;
    }

    /** The id of the broker this registry leads partitions for. */
    public int nodeId() {
        return nodeId;
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

    /**
     * Reacts to a metadata change: of the topics the delta touched, a partition led here gets a
     * {@link PartitionLeader} (a new stream or leader epoch replaces the old one), a partition
     * led elsewhere now is closed, and a config change reaches the leaders; a deleted topic's
     * partitions are closed and their streams deleted. Topics the delta did not touch are not
     * looked at.
     */
    @Override
    public synchronized void onMetadataUpdate(MetadataDelta delta, MetadataImage next) {
        if (closed) {
            return;
        }
        // First, so that the answers of the partitions closed below (appends waiting on a moved
        // partition) name the leaders this delta brings.
        image = next;
        if (!delta.deletedTopics().isEmpty()) {
            for (Map.Entry<PartitionKey, PartitionLeader> entry : List.copyOf(leaders.entrySet())) {
                if (delta.deletedTopics().containsKey(entry.getKey().topicId())) {
                    leaders.remove(entry.getKey());
                    track(entry.getValue().close(Errors.UNKNOWN_TOPIC_OR_PARTITION, true));
                }
            }
        }
        for (UUID topicId : delta.changedTopics()) {
            TopicMetadata topic = next.topic(topicId);
            if (topic != null) {
                applyTopic(topic);
            }
        }
    }

    private void applyTopic(TopicMetadata topic) {
        LogConfig config = logConfig(topic);
        for (PartitionMetadata target : topic.partitions()) {
            PartitionKey key = new PartitionKey(topic.topicId(), target.partition());
            PartitionLeader current = leaders.get(key);
            if (current != null && (target.leaderId() != nodeId || target.streamId() != current.streamId()
                    || target.leaderEpoch() != current.leaderEpoch())) {
                leaders.remove(key);
                track(current.close(Errors.NOT_LEADER_OR_FOLLOWER, false));
                current = null;
            }
            if (target.leaderId() != nodeId) {
                continue;
            }
            if (current != null && current.handingOver() && !target.moving()) {
                // The move was cancelled: lead the partition again, at the same epoch, from what the hand-over committed.
                LOG.info("The move of {}-{} was cancelled; reopening it", topic.name(), target.partition());
                leaders.remove(key);
                track(current.close(Errors.NOT_LEADER_OR_FOLLOWER, false));
                current = null;
            }
            if (current == null) {
                current = new PartitionLeader(key, target.topic(), target.streamId(), target.leaderEpoch(),
                        messageMaxBytes, config, clock, agents.agentFor(key), store, target.checkpointStreamId(),
                        checkpointIntervalBytes);
                leaders.put(key, current);
                current.open();
            } else if (!config.equals(current.logConfig())) {
                current.updateLogConfig(config);
            }
            if (target.moving() && target.movingTo() != nodeId && !current.handingOver()) {
                handOver(topic, target, current);
            }
        }
    }

    /** Closes the partition for its move, then tells the controller, which names the target leader. */
    private void handOver(TopicMetadata topic, PartitionMetadata target, PartitionLeader leader) {
        LOG.info("Moving {}-{} to broker {}", topic.name(), target.partition(), target.movingTo());
        leader.handOver()
                .thenCompose(closed -> handover.closedForMove(topic.topicId(), target.partition(), target.leaderEpoch()))
                .whenComplete((done, error) -> {
                    if (error != null) {
                        // A cancelled move is reopened when its record arrives; anything else waits for the operator.
                        LOG.warn("Handing {}-{} over to broker {} did not complete: {}", topic.name(), target.partition(),
                                target.movingTo(), error.toString());
                    }
                });
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
