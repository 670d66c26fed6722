package dev.stratus.metadata.record;

/**
 * Stream ids below {@code nextStreamId} have been handed out. Stream records imply it too; this
 * record keeps it in snapshots, where the streams that took the highest ids may be gone.
 */
public record NextStreamIdRecord(long nextStreamId) implements MetadataRecord {
}
