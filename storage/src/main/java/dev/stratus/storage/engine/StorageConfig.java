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
 * @param walAppendTimeoutMs   how long an append waits for room in a full WAL before failing STORAGE_UNAVAILABLE
 *                             (default 10 s: below Kafka producers' default {@code request.timeout.ms} of 30 s, so a
 *                             producer gets a retriable error and retries rather than timing out its request)
 * @param uploadThresholdBytes upload once this much un-uploaded data is in the WAL (default 64 MiB)
 * @param uploadIntervalMs     upload at least this often when there is anything to upload (default 60 s)
 * @param logCacheBytes        bound of the tail cache (default 128 MiB), held whatever the load: batches not yet
 *                             uploaded that do not fit are read back from the WAL
 * @param maxRecordBytes       largest batch payload accepted (default 8 MiB); larger fails RECORD_TOO_LARGE
 * @param blockCacheBytes      bound of the cache of decoded object data blocks for catch-up reads (default 64 MiB)
 * @param readAheadMaxBytes    largest read-ahead window of a sequential catch-up reader (default 4 MiB, 0 = off)
 * @param catchUpReadThreads   threads serving catch-up reads (default 2)
 * @param catchUpReadQueue     catch-up reads that may wait for a thread before new ones fail retriably (default 256)
 */
public record StorageConfig(Path walPath, long walCapacityBytes, long walAppendTimeoutMs, long uploadThresholdBytes,
                            long uploadIntervalMs, long logCacheBytes, int maxRecordBytes, long blockCacheBytes,
                            long readAheadMaxBytes, int catchUpReadThreads, int catchUpReadQueue) {

    public static final long DEFAULT_WAL_CAPACITY_BYTES = WalConfig.DEFAULT_CAPACITY_BYTES;
    public static final long DEFAULT_WAL_APPEND_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_UPLOAD_THRESHOLD_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_UPLOAD_INTERVAL_MS = 60_000;
    public static final long DEFAULT_LOG_CACHE_BYTES = 128L * 1024 * 1024;
    public static final int DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024;
    public static final long DEFAULT_BLOCK_CACHE_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_READ_AHEAD_MAX_BYTES = 4L * 1024 * 1024;
    public static final int DEFAULT_CATCH_UP_READ_THREADS = 2;
    public static final int DEFAULT_CATCH_UP_READ_QUEUE = 256;

    public StorageConfig {
        if (walPath == null) {
            throw new IllegalArgumentException("walPath is required");
        }
        if (uploadThresholdBytes <= 0 || uploadIntervalMs <= 0 || logCacheBytes < 0 || maxRecordBytes <= 0
                || walAppendTimeoutMs < 0) {
            throw new IllegalArgumentException("invalid storage settings: " + uploadThresholdBytes + ", " + uploadIntervalMs
                    + ", " + logCacheBytes + ", " + maxRecordBytes + ", " + walAppendTimeoutMs);
        }
        if (blockCacheBytes < 0 || readAheadMaxBytes < 0 || catchUpReadThreads <= 0 || catchUpReadQueue <= 0) {
            throw new IllegalArgumentException("invalid read settings: " + blockCacheBytes + ", " + readAheadMaxBytes
                    + ", " + catchUpReadThreads + ", " + catchUpReadQueue);
        }
        if ((long) maxRecordBytes + WalRecordFormat.HEADER_SIZE + WalRecordFormat.PAGE_SIZE > walCapacityBytes) {
            throw new IllegalArgumentException("maxRecordBytes " + maxRecordBytes + " does not fit a WAL of " + walCapacityBytes + " bytes");
        }
    }

    /** Settings with the default read side (block cache, read-ahead, catch-up read threads). */
    public StorageConfig(Path walPath, long walCapacityBytes, long walAppendTimeoutMs, long uploadThresholdBytes,
                         long uploadIntervalMs, long logCacheBytes, int maxRecordBytes) {
        this(walPath, walCapacityBytes, walAppendTimeoutMs, uploadThresholdBytes, uploadIntervalMs, logCacheBytes,
                maxRecordBytes, DEFAULT_BLOCK_CACHE_BYTES, DEFAULT_READ_AHEAD_MAX_BYTES, DEFAULT_CATCH_UP_READ_THREADS,
                DEFAULT_CATCH_UP_READ_QUEUE);
    }

    /** These settings with another read side. */
    public StorageConfig withReads(long blockCacheBytes, long readAheadMaxBytes, int catchUpReadThreads, int catchUpReadQueue) {
        return new StorageConfig(walPath, walCapacityBytes, walAppendTimeoutMs, uploadThresholdBytes, uploadIntervalMs,
                logCacheBytes, maxRecordBytes, blockCacheBytes, readAheadMaxBytes, catchUpReadThreads, catchUpReadQueue);
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
