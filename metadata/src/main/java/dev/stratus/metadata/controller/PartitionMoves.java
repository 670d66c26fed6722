package dev.stratus.metadata.controller;

import dev.stratus.metadata.MetadataErrorCode;
import dev.stratus.metadata.MetadataException;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.BrokerRegistration;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.record.BrokerDrainRecord;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.metadata.record.PartitionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Moving a partition from its leader to another broker, in two committed steps so that nothing
 * the leader acknowledged is left behind: {@link #start} names the target ({@code movingTo});
 * the leader stops taking writes, writes its checkpoint, closes the partition's streams (which
 * commits its data to object storage) and reports it ({@link #complete}); only then is the
 * target named leader with the next leader epoch, which fences the old leader's streams. A move
 * not completed yet can be cancelled. Pure: state comes only from the image.
 */
final class PartitionMoves {

    /**
     * Starts moving partition {@code partition} of {@code topicName} to broker {@code target}, or
     * with {@code target} -1 cancels its move. A move to the current leader cancels a move in
     * progress and is otherwise nothing to do. Fails with UNKNOWN_TOPIC (no such topic or
     * partition), INVALID_REPLICA_ASSIGNMENT (the target is not a live broker),
     * NO_REASSIGNMENT_IN_PROGRESS (cancelling a partition that is not moving), LEADER_NOT_AVAILABLE
     * (the leader is not live to hand over: failover moves such partitions).
     */
    ControllerResult<Void> start(MetadataImage image, String topicName, int partition, int target) {
        TopicMetadata topic = image.topic(topicName);
        PartitionMetadata current = partition(topic, topicName, partition);
        if (target == PartitionMetadata.NOT_MOVING || target == current.leaderId()) {
            if (!current.moving()) {
                if (target == current.leaderId()) {
                    return ControllerResult.none(null);
                }
                throw new MetadataException(MetadataErrorCode.NO_REASSIGNMENT_IN_PROGRESS,
                        "Partition " + topicName + "-" + partition + " is not being moved.");
            }
            return ControllerResult.of(List.of(moving(topic.topicId(), current, PartitionMetadata.NOT_MOVING)), null);
        }
        BrokerRegistration targetBroker = image.brokers().broker(target);
        if (targetBroker == null || !targetBroker.placeable()) {
            throw new MetadataException(MetadataErrorCode.INVALID_REPLICA_ASSIGNMENT, "Broker " + target
                    + (targetBroker != null && targetBroker.draining() ? " is draining." : " is not a live broker."));
        }
        BrokerRegistration leader = image.brokers().broker(current.leaderId());
        if (leader == null || leader.fenced()) {
            throw new MetadataException(MetadataErrorCode.LEADER_NOT_AVAILABLE, "The leader of " + topicName + "-" + partition
                    + ", broker " + current.leaderId() + ", is not live to hand it over.");
        }
        if (current.movingTo() == target) {
            return ControllerResult.none(null);
        }
        return ControllerResult.of(List.of(moving(topic.topicId(), current, target)), null);
    }

    /**
     * The leader {@code brokerId} has closed partition {@code partition} of {@code topicId} at
     * {@code leaderEpoch} for its move: the target becomes leader with the next epoch (or, should
     * the target have gone meanwhile, the old leader reopens it with the next epoch). Fails with
     * UNKNOWN_TOPIC, FENCED_LEADER_EPOCH when the partition is no longer at that leader and epoch,
     * or not moving (a cancelled move: the leader reopens it).
     */
    ControllerResult<Void> complete(MetadataImage image, int brokerId, UUID topicId, int partition, int leaderEpoch) {
        TopicMetadata topic = image.topic(topicId);
        PartitionMetadata current = partition(topic, String.valueOf(topicId), partition);
        if (current.leaderId() != brokerId || current.leaderEpoch() != leaderEpoch || !current.moving()) {
            throw new MetadataException(MetadataErrorCode.FENCED_LEADER_EPOCH, "Partition " + topic.name() + "-" + partition
                    + " is at leader " + current.leaderId() + " epoch " + current.leaderEpoch()
                    + (current.moving() ? " moving to " + current.movingTo() : " and not moving") + ", not at leader " + brokerId
                    + " epoch " + leaderEpoch + ".");
        }
        BrokerRegistration target = image.brokers().broker(current.movingTo());
        int next = target != null && !target.fenced() ? current.movingTo() : current.leaderId();
        return ControllerResult.of(List.of(new PartitionRecord(topicId, partition, current.streamId(), next,
                current.leaderEpoch() + 1, current.checkpointStreamId(), PartitionMetadata.NOT_MOVING)), null);
    }

    /**
     * Drains broker {@code brokerId}: marks its registration draining (it takes no new
     * partitions) and starts moving every partition it leads, and is not moving already, to the
     * other brokers, spread as new partitions are. With no other broker to take them nothing
     * moves. Completes with the number of moves started.
     */
    ControllerResult<Long> drain(MetadataImage image, int brokerId, long brokerEpoch) {
        List<MetadataRecord> records = new ArrayList<>();
        BrokerRegistration broker = image.brokers().broker(brokerId);
        if (broker != null && !broker.draining()) {
            records.add(new BrokerDrainRecord(brokerId, brokerEpoch));
        }
        List<TopicMetadata> topics = new ArrayList<>();
        List<PartitionMetadata> led = new ArrayList<>();
        for (TopicMetadata topic : image.topics()) {
            for (PartitionMetadata p : topic.partitions()) {
                if (p.leaderId() == brokerId && !p.moving()) {
                    topics.add(topic);
                    led.add(p);
                }
            }
        }
        List<Integer> targets = PartitionPlacement.leaders(image, led.size(), brokerId);
        long moves = 0;
        for (int i = 0; i < led.size(); i++) {
            if (targets.get(i) >= 0) {
                records.add(moving(topics.get(i).topicId(), led.get(i), targets.get(i)));
                moves++;
            }
        }
        return ControllerResult.of(records, moves);
    }

    private static PartitionMetadata partition(TopicMetadata topic, String topicName, int partition) {
        if (topic == null) {
            throw new MetadataException(MetadataErrorCode.UNKNOWN_TOPIC, "Topic '" + topicName + "' does not exist.");
        }
        if (partition < 0 || partition >= topic.partitions().size()) {
            throw new MetadataException(MetadataErrorCode.UNKNOWN_TOPIC, "Topic '" + topic.name() + "' has no partition "
                    + partition + ".");
        }
        return topic.partitions().get(partition);
    }

    private static PartitionRecord moving(UUID topicId, PartitionMetadata current, int target) {
        return new PartitionRecord(topicId, current.partition(), current.streamId(), current.leaderId(), current.leaderEpoch(),
                current.checkpointStreamId(), target);
    }
}
