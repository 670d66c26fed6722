package dev.stratus.storage.engine;

import dev.stratus.storage.compaction.CompactionSettings;
import dev.stratus.storage.format.ObjectFormat;
import dev.stratus.storage.upload.UploadSettings;
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
 * @param streamObjectSplitBytes   a stream with at least this much data in one upload or one compaction gets its
 *                                 own stream object instead of sharing a stream set object (default 16 MiB)
 * @param objectPrepareTtlMs       how long a reserved object id stays committable; a PUT not committed by then is
 *                                 an orphan that garbage collection deletes (default 10 min)
 * @param compactionIntervalMs     how often compaction and garbage collection run; 0 runs them only on request
 *                                 (default 5 min)
 * @param compactionMaxBytesPerSec bandwidth compaction may use, reads and writes together (default 16 MiB/s)
 * @param compactionMaxObjectBytes largest object compaction writes, and the most it reads for one task; objects
 *                                 below half of it are "small" and get merged (default 64 MiB)
 * @param objectDeletionGraceMs    how long a replaced or unreferenced object stays readable after it is marked,
 *                                 for reads that looked it up before (default 5 min)
 * @param blockCacheBytes      bound of the cache of decoded object data blocks for catch-up reads (default 64 MiB)
 * @param readAheadMaxBytes    largest read-ahead window of a sequential catch-up reader (default 4 MiB, 0 = off)
 * @param catchUpReadThreads   threads serving catch-up reads (default 2)
 * @param catchUpReadQueue     catch-up reads that may wait for a thread before new ones fail retriably (default 256)
 */
public record StorageConfig(Path walPath, long walCapacityBytes, long walAppendTimeoutMs, long uploadThresholdBytes,
                            long uploadIntervalMs, long logCacheBytes, int maxRecordBytes, long streamObjectSplitBytes,
                            long objectPrepareTtlMs, long compactionIntervalMs, long compactionMaxBytesPerSec,
                            long compactionMaxObjectBytes, long objectDeletionGraceMs, long blockCacheBytes,
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
    public static final long DEFAULT_STREAM_OBJECT_SPLIT_BYTES = 16L * 1024 * 1024;
    public static final long DEFAULT_OBJECT_PREPARE_TTL_MS = 10 * 60_000;
    public static final long DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60_000;
    public static final long DEFAULT_COMPACTION_MAX_BYTES_PER_SEC = 16L * 1024 * 1024;
    public static final long DEFAULT_COMPACTION_MAX_OBJECT_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_OBJECT_DELETION_GRACE_MS = 5 * 60_000;

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
        if (streamObjectSplitBytes <= 0 || objectPrepareTtlMs <= 0 || compactionIntervalMs < 0 || compactionMaxBytesPerSec <= 0
                || compactionMaxObjectBytes <= 0 || objectDeletionGraceMs < 0) {
            throw new IllegalArgumentException("invalid object settings: split " + streamObjectSplitBytes + ", prepare TTL "
                    + objectPrepareTtlMs + ", compaction interval " + compactionIntervalMs + ", bandwidth "
                    + compactionMaxBytesPerSec + ", max object " + compactionMaxObjectBytes + ", grace " + objectDeletionGraceMs);
        }
    }

    /** The settings of issue #2's skeleton; object lifecycle settings take their defaults. */
    public StorageConfig(Path walPath, long walCapacityBytes, long walAppendTimeoutMs, long uploadThresholdBytes,
                         long uploadIntervalMs, long logCacheBytes, int maxRecordBytes) {
        this(walPath, walCapacityBytes, walAppendTimeoutMs, uploadThresholdBytes, uploadIntervalMs, logCacheBytes,
                maxRecordBytes, DEFAULT_STREAM_OBJECT_SPLIT_BYTES, DEFAULT_OBJECT_PREPARE_TTL_MS,
                DEFAULT_COMPACTION_INTERVAL_MS, DEFAULT_COMPACTION_MAX_BYTES_PER_SEC, DEFAULT_COMPACTION_MAX_OBJECT_BYTES,
                DEFAULT_OBJECT_DELETION_GRACE_MS, DEFAULT_BLOCK_CACHE_BYTES, DEFAULT_READ_AHEAD_MAX_BYTES,
                DEFAULT_CATCH_UP_READ_THREADS, DEFAULT_CATCH_UP_READ_QUEUE);
    }

    public static StorageConfig defaults(Path walPath) {
        return new StorageConfig(walPath, DEFAULT_WAL_CAPACITY_BYTES, DEFAULT_WAL_APPEND_TIMEOUT_MS,
                DEFAULT_UPLOAD_THRESHOLD_BYTES, DEFAULT_UPLOAD_INTERVAL_MS, DEFAULT_LOG_CACHE_BYTES, DEFAULT_MAX_RECORD_BYTES);
    }

    /** These settings with another read side. */
    public StorageConfig withReads(long blockCacheBytes, long readAheadMaxBytes, int catchUpReadThreads, int catchUpReadQueue) {
        return new StorageConfig(walPath, walCapacityBytes, walAppendTimeoutMs, uploadThresholdBytes, uploadIntervalMs,
                logCacheBytes, maxRecordBytes, streamObjectSplitBytes, objectPrepareTtlMs, compactionIntervalMs,
                compactionMaxBytesPerSec, compactionMaxObjectBytes, objectDeletionGraceMs, blockCacheBytes, readAheadMaxBytes,
                catchUpReadThreads, catchUpReadQueue);
    }

    public StorageConfig withStreamObjectSplitBytes(long bytes) {
        return new StorageConfig(walPath, walCapacityBytes, walAppendTimeoutMs, uploadThresholdBytes, uploadIntervalMs,
                logCacheBytes, maxRecordBytes, bytes, objectPrepareTtlMs, compactionIntervalMs, compactionMaxBytesPerSec,
                compactionMaxObjectBytes, objectDeletionGraceMs, blockCacheBytes,
                readAheadMaxBytes, catchUpReadThreads, catchUpReadQueue);
    }

    public StorageConfig withObjectPrepareTtlMs(long ttlMs) {
        return new StorageConfig(walPath, walCapacityBytes, walAppendTimeoutMs, uploadThresholdBytes, uploadIntervalMs,
                logCacheBytes, maxRecordBytes, streamObjectSplitBytes, ttlMs, compactionIntervalMs, compactionMaxBytesPerSec,
                compactionMaxObjectBytes, objectDeletionGraceMs, blockCacheBytes,
                readAheadMaxBytes, catchUpReadThreads, catchUpReadQueue);
    }

    public StorageConfig withCompactionIntervalMs(long intervalMs) {
        return new StorageConfig(walPath, walCapacityBytes, walAppendTimeoutMs, uploadThresholdBytes, uploadIntervalMs,
                logCacheBytes, maxRecordBytes, streamObjectSplitBytes, objectPrepareTtlMs, intervalMs, compactionMaxBytesPerSec,
                compactionMaxObjectBytes, objectDeletionGraceMs, blockCacheBytes,
                readAheadMaxBytes, catchUpReadThreads, catchUpReadQueue);
    }

    public StorageConfig withCompactionMaxBytesPerSec(long bytesPerSec) {
        return new StorageConfig(walPath, walCapacityBytes, walAppendTimeoutMs, uploadThresholdBytes, uploadIntervalMs,
                logCacheBytes, maxRecordBytes, streamObjectSplitBytes, objectPrepareTtlMs, compactionIntervalMs, bytesPerSec,
                compactionMaxObjectBytes, objectDeletionGraceMs, blockCacheBytes,
                readAheadMaxBytes, catchUpReadThreads, catchUpReadQueue);
    }

    public StorageConfig withCompactionMaxObjectBytes(long bytes) {
        return new StorageConfig(walPath, walCapacityBytes, walAppendTimeoutMs, uploadThresholdBytes, uploadIntervalMs,
                logCacheBytes, maxRecordBytes, streamObjectSplitBytes, objectPrepareTtlMs, compactionIntervalMs,
                compactionMaxBytesPerSec, bytes, objectDeletionGraceMs, blockCacheBytes,
                readAheadMaxBytes, catchUpReadThreads, catchUpReadQueue);
    }

    public StorageConfig withObjectDeletionGraceMs(long graceMs) {
        return new StorageConfig(walPath, walCapacityBytes, walAppendTimeoutMs, uploadThresholdBytes, uploadIntervalMs,
                logCacheBytes, maxRecordBytes, streamObjectSplitBytes, objectPrepareTtlMs, compactionIntervalMs,
                compactionMaxBytesPerSec, compactionMaxObjectBytes, graceMs, blockCacheBytes,
                readAheadMaxBytes, catchUpReadThreads, catchUpReadQueue);
    }

    /** The WAL settings derived from these (queue bounds and group size keep their defaults). */
    public WalConfig walConfig() {
        return new WalConfig(walPath, walCapacityBytes, WalConfig.DEFAULT_QUEUE_CAPACITY, WalConfig.DEFAULT_MAX_QUEUED_BYTES,
                walAppendTimeoutMs, WalConfig.DEFAULT_MAX_GROUP_BYTES);
    }

    /**
     * Largest amount of WAL data one upload round takes into memory (the threshold, at least one
     * record): a round holds it twice, as read from the WAL and encoded, so it is bounded by what
     * the heap can spare beside the caches.
     */
    public long maxObjectBytes() {
        return Math.max(uploadThresholdBytes, maxRecordBytes);
    }

    public int objectBlockBytes() {
        return ObjectFormat.DEFAULT_BLOCK_SIZE;
    }

    public UploadSettings uploadSettings() {
        return new UploadSettings(uploadThresholdBytes, uploadIntervalMs, maxObjectBytes(), objectBlockBytes(),
                streamObjectSplitBytes, objectPrepareTtlMs);
    }

    public CompactionSettings compactionSettings() {
        return new CompactionSettings(compactionIntervalMs, compactionMaxBytesPerSec, compactionMaxObjectBytes,
                streamObjectSplitBytes, objectBlockBytes(), objectDeletionGraceMs, objectPrepareTtlMs);
    }
}
