package dev.stratus.metadata.record;

/** Producer ids below {@code nextProducerId} have been handed out. */
public record ProducerIdsRecord(long nextProducerId) implements MetadataRecord {
}
