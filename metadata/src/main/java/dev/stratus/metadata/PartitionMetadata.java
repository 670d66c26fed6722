package dev.stratus.metadata;

/**
 * One partition of a topic as the controller sees it: the stream holding its data, the broker
 * leading it and the leader epoch, which is also the epoch the leader opens its streams with,
 * the stream holding its checkpoints ({@code checkpointStreamId}, -1 for a partition created
 * before checkpoints existed: its leader rebuilds its state from the data), and the broker it
 * is being moved to ({@code movingTo}, -1 when it is not moving): the leader stops taking
 * writes, closes the partition and reports it closed, and the controller then names the target
 * leader with the next epoch.
 */
public record PartitionMetadata(String topic, int partition, long streamId, int leaderId, int leaderEpoch,
                                long checkpointStreamId, int movingTo) {

    public static final long NO_CHECKPOINT_STREAM = -1;
    public static final int NOT_MOVING = -1;

    public boolean moving() {
        return movingTo != NOT_MOVING;
    }
}
