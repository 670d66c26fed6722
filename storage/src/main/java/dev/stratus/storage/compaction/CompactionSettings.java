package dev.stratus.storage.compaction;

/**
 * What compaction and garbage collection need to know, derived from the engine's configuration.
 *
 * @param intervalMs             how often a round runs; 0 runs rounds only on request
 * @param maxBytesPerSec         bandwidth a round may use, reads and writes together
 * @param maxObjectBytes         largest object compaction writes and most it reads for one task;
 *                               objects below half of it are small and get merged
 * @param streamObjectSplitBytes a stream with at least this much live data in one task gets its own stream object
 * @param blockBytes             target data block size of the objects written
 * @param deletionGraceMs        how long a marked object stays in object storage for readers that looked it up before
 * @param prepareTtlMs           how long the ids compaction reserves stay committable
 */
public record CompactionSettings(long intervalMs, long maxBytesPerSec, long maxObjectBytes, long streamObjectSplitBytes,
                                 int blockBytes, long deletionGraceMs, long prepareTtlMs) {

    public CompactionSettings {
        if (intervalMs < 0 || maxBytesPerSec <= 0 || maxObjectBytes <= 0 || streamObjectSplitBytes <= 0 || blockBytes <= 0
                || deletionGraceMs < 0 || prepareTtlMs <= 0) {
            throw new IllegalArgumentException("invalid compaction settings: " + this);
        }
    }

    /** Objects below this size are merged with their neighbours. */
    public long smallObjectBytes() {
        return maxObjectBytes / 2;
    }
}
