package dev.stratus.storage.format;

/**
 * One index entry of an object: where the data block holding {@code [startOffset, endOffset)}
 * of one stream lies.
 *
 * @param recordCount the sum of the counts of the block's batches
 */
public record DataBlockIndexEntry(long streamId, long startOffset, long endOffset, int recordCount,
                                  long blockPosition, int blockSize) {

    public boolean overlaps(long streamId, long start, long end) {
        return this.streamId == streamId && startOffset < end && endOffset > start;
    }
}
