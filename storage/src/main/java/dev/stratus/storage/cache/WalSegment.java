package dev.stratus.storage.cache;

/**
 * Where confirmed but evicted batches of one stream can be read back from the WAL: the batches
 * {@code [startOffset, endOffset)} are the records of {@code streamId} found in WAL positions
 * {@code [walStartPosition, walEndPosition)} by following the offset chain from
 * {@code startOffset} (the first record of the stream at {@code walStartPosition} starts there;
 * records that do not continue the chain, left by failed appends, are skipped). Immutable.
 */
public record WalSegment(long streamId, long startOffset, long endOffset, long walStartPosition, long walEndPosition) {

    public WalSegment {
        if (endOffset <= startOffset || walEndPosition <= walStartPosition) {
            throw new IllegalArgumentException("empty WAL segment " + startOffset + ".." + endOffset + " at "
                    + walStartPosition + ".." + walEndPosition);
        }
    }
}
