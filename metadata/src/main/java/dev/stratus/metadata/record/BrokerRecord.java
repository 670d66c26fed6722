package dev.stratus.metadata.record;

import java.util.UUID;

/**
 * A broker registered: {@code brokerEpoch} grows with every registration of the same id, so
 * that an earlier incarnation can be told apart and fenced. {@code incarnationId} is random per
 * process start; host and port are where clients reach it; {@code rack} may be null. A
 * registration leaves the broker unfenced.
 */
public record BrokerRecord(int brokerId, long brokerEpoch, UUID incarnationId, String host, int port, String rack)
        implements MetadataRecord {

    /** The shape of version 0 records: an id and an epoch, nothing about where the broker is. */
    public BrokerRecord(int brokerId, long brokerEpoch) {
        this(brokerId, brokerEpoch, new UUID(0, 0), "", -1, null);
    }
}
