package dev.stratus.metadata.record;

/**
 * Object ids {@code [firstObjectId, firstObjectId + count)} were handed out at
 * {@code preparedAtMs} and may be committed until {@code expiresAtMs}. Replaces
 * {@link NextObjectIdRecord} for new prepares; applying it also forgets prepares that had
 * expired by {@code preparedAtMs}, so that replay rebuilds exactly the same state.
 */
public record ObjectsPreparedRecord(long firstObjectId, int count, long preparedAtMs, long expiresAtMs)
        implements MetadataRecord {
}
