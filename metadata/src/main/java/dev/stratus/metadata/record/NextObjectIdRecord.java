package dev.stratus.metadata.record;

/**
 * Object ids below {@code nextObjectId} have been handed out; persisted before the ids are
 * returned so that a restart never hands out the same id twice.
 */
public record NextObjectIdRecord(long nextObjectId) implements MetadataRecord {
}
