package dev.stratus.metadata;

/**
 * One partition of a topic as the controller sees it: the stream holding its data, the broker
 * leading it and the leader epoch, which is also the epoch the leader opens its streams with,
 * and the stream holding its checkpoints ({@code checkpointStreamId}, -1 for a partition
 * created before checkpoints existed: its leader rebuilds its state from the data).
 */
public record PartitionMetadata(String topic, int partition, long streamId, int leaderId, int leaderEpoch,
                                long checkpointStreamId) {

    public static final long NO_CHECKPOINT_STREAM = -1;
}
