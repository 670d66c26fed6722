package dev.stratus.broker.partition;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * How the {@link PartitionRegistry} reports that it closed a partition for its move, so that the
 * controller names the target leader (the broker sends it under its registration).
 */
@FunctionalInterface
public interface PartitionHandover {

    /** Reports partition {@code partition} of {@code topicId} closed at {@code leaderEpoch}; completes once recorded. */
    CompletableFuture<Void> closedForMove(UUID topicId, int partition, int leaderEpoch);

    /** For a registry that is never asked to move partitions. */
    PartitionHandover NONE = (topicId, partition, leaderEpoch) ->
            CompletableFuture.failedFuture(new UnsupportedOperationException("this node does not move partitions"));
}
