package dev.stratus.storage.wal;

import java.nio.file.Path;

/**
 * Settings of a {@link FileWriteAheadLog}.
 *
 * @param path             the WAL file (created and preallocated when missing)
 * @param capacityBytes    size of the ring, a multiple of 4 KiB, at least 16 KiB
 * @param queueCapacity    appends that may wait for the writer before new ones are rejected
 * @param maxQueuedBytes   payload bytes that may wait for the writer before new appends are rejected
 * @param appendTimeoutMs  how long an append may wait for room in a full ring before failing
 *                         with {@code STORAGE_UNAVAILABLE}
 * @param maxGroupBytes    upper bound of one group commit (one write, one force)
 */
public record WalConfig(Path path, long capacityBytes, int queueCapacity, long maxQueuedBytes, long appendTimeoutMs,
                        int maxGroupBytes) {

    public static final long DEFAULT_CAPACITY_BYTES = 2L * 1024 * 1024 * 1024;
    public static final int DEFAULT_QUEUE_CAPACITY = 4096;
    public static final long DEFAULT_MAX_QUEUED_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_APPEND_TIMEOUT_MS = 30_000;
    public static final int DEFAULT_MAX_GROUP_BYTES = 4 * 1024 * 1024;

    public WalConfig {
        if (capacityBytes < 4L * WalRecordFormat.PAGE_SIZE || capacityBytes % WalRecordFormat.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("WAL capacity must be a multiple of 4096 and at least 16384: " + capacityBytes);
        }
        if (queueCapacity <= 0 || maxQueuedBytes <= 0 || appendTimeoutMs < 0 || maxGroupBytes < WalRecordFormat.PAGE_SIZE) {
            throw new IllegalArgumentException("invalid WAL settings: " + queueCapacity + ", " + maxQueuedBytes + ", "
                    + appendTimeoutMs + ", " + maxGroupBytes);
        }
    }

    public static WalConfig defaults(Path path) {
        return new WalConfig(path, DEFAULT_CAPACITY_BYTES, DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_QUEUED_BYTES,
                DEFAULT_APPEND_TIMEOUT_MS, DEFAULT_MAX_GROUP_BYTES);
    }

    public WalConfig withCapacity(long capacity) {
        return new WalConfig(path, capacity, queueCapacity, maxQueuedBytes, appendTimeoutMs, maxGroupBytes);
    }

    public WalConfig withAppendTimeoutMs(long timeoutMs) {
        return new WalConfig(path, capacityBytes, queueCapacity, maxQueuedBytes, timeoutMs, maxGroupBytes);
    }
}
