package dev.stratus.metadata.record;

/**
 * The registration {@code brokerEpoch} of a broker is draining: it is being emptied of its
 * partitions (before it stops) and takes no new ones. A new registration starts undrained; a
 * record for an epoch the broker no longer has changes nothing.
 */
public record BrokerDrainRecord(int brokerId, long brokerEpoch) implements MetadataRecord {
}
