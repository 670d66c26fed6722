package dev.stratus.metadata.record;

/** A stream was deleted; its objects become garbage once no other stream references them. */
public record RemoveStreamRecord(long streamId) implements MetadataRecord {
}
