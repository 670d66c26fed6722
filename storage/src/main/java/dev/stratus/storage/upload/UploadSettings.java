package dev.stratus.storage.upload;

/**
 * What the upload pipeline needs to know, derived from the engine's configuration.
 *
 * @param thresholdBytes         upload once this much un-uploaded data is in the WAL
 * @param intervalMs             upload at least this often when there is anything to upload
 * @param maxObjectBytes         largest amount of WAL data one upload round takes
 * @param blockBytes             target data block size of the objects written
 * @param streamObjectSplitBytes a stream with at least this many bytes in one upload gets its own stream object
 * @param prepareTtlMs           how long a reserved object id stays committable (PUT plus commit must fit in it)
 */
public record UploadSettings(long thresholdBytes, long intervalMs, long maxObjectBytes, int blockBytes,
                             long streamObjectSplitBytes, long prepareTtlMs) {

    public UploadSettings {
        if (thresholdBytes <= 0 || intervalMs <= 0 || maxObjectBytes <= 0 || blockBytes <= 0
                || streamObjectSplitBytes <= 0 || prepareTtlMs <= 0) {
            throw new IllegalArgumentException("invalid upload settings: " + thresholdBytes + ", " + intervalMs + ", "
                    + maxObjectBytes + ", " + blockBytes + ", " + streamObjectSplitBytes + ", " + prepareTtlMs);
        }
    }
}
