package dev.stratus.storage.metadata;

/**
 * An object id marked for deletion at {@code markedAtMs}: replaced by compaction, holding no
 * live data any more, or an orphan (written but never committed). Readers that looked it up
 * before the mark may still read it until the deletion grace period has passed.
 */
public record MarkedObject(long objectId, long markedAtMs) {
}
