package dev.stratus.metadata;

import java.util.List;
import java.util.UUID;

/**
 * A broker's load as its heartbeat reports it, all counters cumulative since the broker
 * started (the controller derives rates from two reports): requests served, bytes produced to
 * and fetched from each partition it leads, and the WAL data not yet uploaded to object storage.
 */
public record BrokerLoad(long requests, long walBacklogBytes, List<PartitionLoad> partitions) {

    public static final BrokerLoad NONE = new BrokerLoad(0, 0, List.of());

    public BrokerLoad {
        partitions = List.copyOf(partitions);
    }

    /** One partition's traffic since it opened on the broker. */
    public record PartitionLoad(UUID topicId, int partition, long bytesIn, long bytesOut) {
    }
}
