package dev.stratus.metadata.record;

/** A broker registered; {@code brokerEpoch} grows with every registration of the same id. */
public record BrokerRecord(int brokerId, long brokerEpoch) implements MetadataRecord {
}
