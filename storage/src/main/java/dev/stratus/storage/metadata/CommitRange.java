package dev.stratus.storage.metadata;

/**
 * One stream's part of an object commit, stamped with the epoch of the writer so that the
 * controller can reject writers that were fenced after writing the object.
 */
public record CommitRange(long streamId, long epoch, long startOffset, long endOffset) {

    public StreamOffsetRange range() {
        return new StreamOffsetRange(streamId, startOffset, endOffset);
    }
}
