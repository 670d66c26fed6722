package dev.stratus.metadata;

/**
 * One partition of a topic as the controller sees it: the stream holding its data, the broker
 * leading it and the leader epoch, which is also the epoch the leader opens the stream with.
 */
public record PartitionMetadata(String topic, int partition, long streamId, int leaderId, int leaderEpoch) {
}
