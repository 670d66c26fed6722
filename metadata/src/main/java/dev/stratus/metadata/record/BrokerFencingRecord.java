package dev.stratus.metadata.record;

/**
 * The registration {@code brokerEpoch} of a broker was fenced (its lease ran out, or it shut
 * down) or unfenced. A record for an epoch the broker no longer has changes nothing.
 */
public record BrokerFencingRecord(int brokerId, long brokerEpoch, boolean fenced) implements MetadataRecord {
}
