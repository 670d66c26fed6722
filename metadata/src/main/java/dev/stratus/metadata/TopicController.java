package dev.stratus.metadata;

import dev.stratus.metadata.config.ConfigOp;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The controller operations a broker calls for brokers, topics and leadership. The
 * {@code QuorumController} implements it in the controller's process. Every change is a batch
 * of records; the returned future completes once the batch is committed and applied to this
 * node's image (see {@code MetadataLoader}), so the caller's next read of the image sees it.
 */
public interface TopicController {

    /**
     * Registers a broker with the next epoch of its id and makes it leader, with a new leader
     * epoch, of the partitions it led and of those no live broker leads, so that any earlier
     * incarnation is fenced. Completes with the broker's new epoch.
     */
    CompletableFuture<Long> registerBroker(BrokerRegistrationRequest request);

    /**
     * Renews the lease of broker {@code brokerId}'s registration {@code brokerEpoch} and reports
     * its {@code load}, or with {@code shuttingDown} gives the lease up (the broker is fenced at
     * once). Fails with STALE_BROKER_EPOCH when that registration was fenced or replaced:
     * register again.
     */
    CompletableFuture<Void> heartbeat(int brokerId, long brokerEpoch, boolean shuttingDown, BrokerLoad load);

    /**
     * Creates a topic with {@code partitions} partitions, one new stream each, placed on the
     * registered brokers. Fails with TOPIC_ALREADY_EXISTS, INVALID_TOPIC_NAME, INVALID_PARTITIONS,
     * INVALID_CONFIG (an unknown topic config name or a bad value).
     */
    CompletableFuture<TopicMetadata> createTopic(String name, int partitions, Map<String, String> configs);

    /**
     * Changes a topic's config overrides: {@code ops} apply in order to the current overrides, or
     * to none when {@code replaceAll} (legacy AlterConfigs). The result is validated as a whole
     * (INVALID_CONFIG for an unknown name or a bad value, see {@code TopicConfigs}); with
     * {@code validateOnly} nothing is written. Completes with the topic as it is (or would be).
     * Fails with UNKNOWN_TOPIC, INVALID_CONFIG.
     */
    CompletableFuture<TopicMetadata> alterTopicConfigs(String name, List<ConfigOp> ops, boolean replaceAll,
                                                       boolean validateOnly);

    /**
     * Grows a topic to {@code totalCount} partitions, each new one with a new stream, placed on the
     * registered brokers; with {@code validateOnly} nothing is written. Fails with UNKNOWN_TOPIC,
     * INVALID_PARTITIONS (not more than today, or too many at once).
     */
    CompletableFuture<TopicMetadata> createPartitions(String name, int totalCount, boolean validateOnly);

    /** Deletes a topic and its streams. Fails with UNKNOWN_TOPIC. */
    CompletableFuture<Void> deleteTopic(String name);

    /**
     * Starts moving partition {@code partition} of {@code topic} to broker {@code target} (its
     * leader hands it over), or with {@code target} -1 cancels a move not completed yet.
     * Completes once the move is recorded, not when it is done. Fails with UNKNOWN_TOPIC,
     * INVALID_REPLICA_ASSIGNMENT, NO_REASSIGNMENT_IN_PROGRESS, LEADER_NOT_AVAILABLE.
     */
    CompletableFuture<Void> reassignPartition(String topic, int partition, int target);

    /**
     * Broker {@code brokerId} (registration {@code brokerEpoch}), leader of the partition at
     * {@code leaderEpoch}, has closed it for its move: the target becomes its leader. Fails with
     * STALE_BROKER_EPOCH, FENCED_LEADER_EPOCH (the move was cancelled or the partition moved on).
     */
    CompletableFuture<Void> completePartitionMove(int brokerId, long brokerEpoch, UUID topicId, int partition, int leaderEpoch);

    /**
     * Drains broker {@code brokerId} (registration {@code brokerEpoch}): it takes no new
     * partitions, and every partition it leads starts moving to the other brokers. Completes,
     * once that is recorded, with the number of moves started (0 with no other broker). Fails
     * with STALE_BROKER_EPOCH.
     */
    CompletableFuture<Long> drainBroker(int brokerId, long brokerEpoch);
}
