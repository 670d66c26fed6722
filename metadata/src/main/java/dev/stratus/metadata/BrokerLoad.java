package dev.stratus.metadata;

import java.util.List;
import java.util.UUID;

/**
 * A broker's load as its heartbeat reports it, all counters cumulative since the broker
 * started (the controller derives rates from two reports): requests served, bytes produced to
 * and fetched from each partition it leads, and the WAL data not yet uploaded to object storage.
 * Also how far its metadata image has got ({@code metadataOffset}, -1 for unknown), which
 * DescribeQuorum reports for it as an observer of the quorum.
 */
public record BrokerLoad(long requests, long walBacklogBytes, List<PartitionLoad> partitions, long metadataOffset) {

    public static final BrokerLoad NONE = new BrokerLoad(0, 0, List.of(), -1);

    public BrokerLoad {
        partitions = List.copyOf(partitions);
    }

    /** One partition's traffic since it opened on the broker. */
    public record PartitionLoad(UUID topicId, int partition, long bytesIn, long bytesOut) {
    }
}
