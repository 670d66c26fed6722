package dev.stratus.metadata.record;

import dev.stratus.storage.metadata.StreamMetadata.StreamState;

/** The full committed state of one stream after a change (create, open, close, trim, commit). */
public record StreamRecord(long streamId, long epoch, long startOffset, long endOffset, StreamState state)
        implements MetadataRecord {
}
