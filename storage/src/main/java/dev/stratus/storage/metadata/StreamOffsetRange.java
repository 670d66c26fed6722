package dev.stratus.storage.metadata;

/** The offsets {@code [startOffset, endOffset)} of one stream held by one object. */
public record StreamOffsetRange(long streamId, long startOffset, long endOffset) {

    public StreamOffsetRange {
        if (endOffset <= startOffset) {
            throw new IllegalArgumentException("empty or negative range " + startOffset + ".." + endOffset);
        }
    }
}
