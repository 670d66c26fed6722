package dev.stratus.storage.engine;

import dev.stratus.storage.format.ObjectFormat;
import dev.stratus.storage.wal.WalConfig;
import dev.stratus.storage.wal.WalRecordFormat;

import java.nio.file.Path;

/**
 * Settings of a {@link StreamStorageEngine}. Defaults suit a small machine (2 cores, a few GiB
 * of heap): see {@link #defaults(Path)}.
 *
 * @param walPath              the WAL file
 * @param walCapacityBytes     size of the WAL ring (default 2 GiB); appends wait when it is full of un-uploaded data
 * @param walAppendTimeoutMs   how long an append waits for room in a full WAL before failing STORAGE_UNAVAILABLE (default 30 s)
 * @param uploadThresholdBytes upload once this much un-uploaded data is in the WAL (default 64 MiB)
 * @param uploadIntervalMs     upload at least this often when there is anything to upload (default 60 s)
 * @param logCacheBytes        bound of the tail cache (default 128 MiB); un-uploaded batches may exceed it
 * @param maxRecordBytes       largest batch payload accepted (default 8 MiB); larger fails RECORD_TOO_LARGE
 */
public record StorageConfig(Path walPath, long walCapacityBytes, long walAppendTimeoutMs, long uploadThresholdBytes,
                            long uploadIntervalMs, long logCacheBytes, int maxRecordBytes) {

    public static final long DEFAULT_WAL_CAPACITY_BYTES = WalConfig.DEFAULT_CAPACITY_BYTES;
    public static final long DEFAULT_WAL_APPEND_TIMEOUT_MS = WalConfig.DEFAULT_APPEND_TIMEOUT_MS;
    public static final long DEFAULT_UPLOAD_THRESHOLD_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_UPLOAD_INTERVAL_MS = 60_000;
    public static final long DEFAULT_LOG_CACHE_BYTES = 128L * 1024 * 1024;
    public static final int DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024;

    public StorageConfig {
        if (walPath == null) {
            throw new IllegalArgumentException("walPath is required");
        }
        if (uploadThresholdBytes <= 0 || uploadIntervalMs <= 0 || logCacheBytes < 0 || maxRecordBytes <= 0
                || walAppendTimeoutMs < 0) {
            throw new IllegalArgumentException("invalid storage settings: " + uploadThresholdBytes + ", " + uploadIntervalMs
                    + ", " + logCacheBytes + ", " + maxRecordBytes + ", " + walAppendTimeoutMs);
        }
        if ((long) maxRecordBytes + WalRecordFormat.HEADER_SIZE + WalRecordFormat.PAGE_SIZE > walCapacityBytes) {
            throw new IllegalArgumentException("maxRecordBytes " + maxRecordBytes + " does not fit a WAL of " + walCapacityBytes + " bytes");
        }
    }

    public static StorageConfig defaults(Path walPath) {
        return new StorageConfig(walPath, DEFAULT_WAL_CAPACITY_BYTES, DEFAULT_WAL_APPEND_TIMEOUT_MS,
                DEFAULT_UPLOAD_THRESHOLD_BYTES, DEFAULT_UPLOAD_INTERVAL_MS, DEFAULT_LOG_CACHE_BYTES, DEFAULT_MAX_RECORD_BYTES);
    }

    /** The WAL settings derived from these (queue bounds and group size keep their defaults). */
    public WalConfig walConfig() {
        return new WalConfig(walPath, walCapacityBytes, WalConfig.DEFAULT_QUEUE_CAPACITY, WalConfig.DEFAULT_MAX_QUEUED_BYTES,
                walAppendTimeoutMs, WalConfig.DEFAULT_MAX_GROUP_BYTES);
    }

    /** Largest amount of WAL data one stream set object takes (twice the threshold, at least one record). */
    public long maxObjectBytes() {
        return Math.max(2 * uploadThresholdBytes, maxRecordBytes);
    }

    public int objectBlockBytes() {
        return ObjectFormat.DEFAULT_BLOCK_SIZE;
    }
}
