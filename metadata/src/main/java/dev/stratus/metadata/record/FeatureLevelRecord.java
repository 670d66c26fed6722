package dev.stratus.metadata.record;

/** A feature (such as {@code metadata.version}) was finalized at {@code level}; level 0 removes it. */
public record FeatureLevelRecord(String name, short level) implements MetadataRecord {
}
