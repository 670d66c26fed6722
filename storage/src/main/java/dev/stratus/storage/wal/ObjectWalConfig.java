package dev.stratus.storage.wal;

/**
 * Settings of an {@link ObjectWriteAheadLog}.
 *
 * @param walNodeId          whose WAL: its objects live under {@code wal/<walNodeId>/}. A node opens its own;
 *                           opening another node's WAL recovers it and fences that node
 * @param ownerNodeId        the node opening it (recorded in every object it writes)
 * @param batchIntervalMs    an object is written at the latest this long after its first append (default 250 ms),
 *                           earlier once appends stop if the previous one is this old: at most one object per
 *                           interval unless objects fill up
 * @param maxObjectBytes     an object is written as soon as it holds this many bytes (default 8 MiB);
 *                           a single larger record gets an object of its own
 * @param maxInFlightObjects objects being written at once (default 4, at most {@link ObjectWriteAheadLog#FENCE_GAP})
 * @param maxInFlightBytes   bytes of appends in the open object and objects being written (default 64 MiB);
 *                           beyond it appends wait
 * @param appendTimeoutMs    how long an append may wait for room before failing {@code STORAGE_UNAVAILABLE} (default 30 s)
 * @param capacityBytes      un-trimmed bytes the log may hold (default 2 GiB); beyond it appends wait for a trim
 * @param readCacheBytes     acknowledged records kept in memory for {@link WriteAheadLog#read} (default 64 MiB);
 *                           older ones are read back from object storage
 * @param queueCapacity      appends that may wait for room before new ones are rejected at once (default 4096)
 * @param minRetryBackoffMs  first delay before retrying a failed PUT (default 100 ms), doubled per failure
 * @param maxRetryBackoffMs  largest delay between retries of a PUT (default 5 s)
 */
public record ObjectWalConfig(int walNodeId, int ownerNodeId, long batchIntervalMs, int maxObjectBytes,
                              int maxInFlightObjects, long maxInFlightBytes, long appendTimeoutMs, long capacityBytes,
                              long readCacheBytes, int queueCapacity, long minRetryBackoffMs, long maxRetryBackoffMs) {

    public static final long DEFAULT_BATCH_INTERVAL_MS = 250;
    public static final int DEFAULT_MAX_OBJECT_BYTES = 8 * 1024 * 1024;
    public static final int DEFAULT_MAX_IN_FLIGHT_OBJECTS = 4;
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_APPEND_TIMEOUT_MS = WalConfig.DEFAULT_APPEND_TIMEOUT_MS;
    public static final long DEFAULT_CAPACITY_BYTES = WalConfig.DEFAULT_CAPACITY_BYTES;
    public static final long DEFAULT_READ_CACHE_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_QUEUE_CAPACITY = WalConfig.DEFAULT_QUEUE_CAPACITY;
    public static final long DEFAULT_MIN_RETRY_BACKOFF_MS = 100;
    public static final long DEFAULT_MAX_RETRY_BACKOFF_MS = 5_000;

    public ObjectWalConfig {
        if (walNodeId < 0 || ownerNodeId < 0) {
            throw new IllegalArgumentException("node ids must not be negative: " + walNodeId + ", " + ownerNodeId);
        }
        if (batchIntervalMs <= 0 || maxObjectBytes <= 0 || appendTimeoutMs < 0 || readCacheBytes < 0 || queueCapacity <= 0
                || minRetryBackoffMs <= 0 || maxRetryBackoffMs < minRetryBackoffMs) {
            throw new IllegalArgumentException("invalid object WAL settings: interval " + batchIntervalMs + " ms, object "
                    + maxObjectBytes + " bytes, timeout " + appendTimeoutMs + " ms, cache " + readCacheBytes + ", queue "
                    + queueCapacity + ", backoff " + minRetryBackoffMs + ".." + maxRetryBackoffMs + " ms");
        }
        if (maxInFlightObjects <= 0 || maxInFlightObjects > ObjectWriteAheadLog.FENCE_GAP) {
            throw new IllegalArgumentException("maxInFlightObjects must be in 1.." + ObjectWriteAheadLog.FENCE_GAP + ": "
                    + maxInFlightObjects);
        }
        if (maxInFlightBytes < maxObjectBytes || capacityBytes < maxInFlightBytes) {
            throw new IllegalArgumentException("need maxObjectBytes (" + maxObjectBytes + ") <= maxInFlightBytes ("
                    + maxInFlightBytes + ") <= capacityBytes (" + capacityBytes + ")");
        }
    }

    /** Defaults for {@code walNodeId}'s WAL opened by {@code ownerNodeId}. */
    public static ObjectWalConfig defaults(int walNodeId, int ownerNodeId) {
        return new ObjectWalConfig(walNodeId, ownerNodeId, DEFAULT_BATCH_INTERVAL_MS, DEFAULT_MAX_OBJECT_BYTES,
                DEFAULT_MAX_IN_FLIGHT_OBJECTS, DEFAULT_MAX_IN_FLIGHT_BYTES, DEFAULT_APPEND_TIMEOUT_MS, DEFAULT_CAPACITY_BYTES,
                DEFAULT_READ_CACHE_BYTES, DEFAULT_QUEUE_CAPACITY, DEFAULT_MIN_RETRY_BACKOFF_MS, DEFAULT_MAX_RETRY_BACKOFF_MS);
    }

    /** Defaults for a node's own WAL. */
    public static ObjectWalConfig defaults(int nodeId) {
        return defaults(nodeId, nodeId);
    }

    /** The same settings for another node's WAL, opened by this config's owner (recovery). */
    public ObjectWalConfig forWalOf(int otherWalNodeId) {
        return new ObjectWalConfig(otherWalNodeId, ownerNodeId, batchIntervalMs, maxObjectBytes, maxInFlightObjects,
                maxInFlightBytes, appendTimeoutMs, capacityBytes, readCacheBytes, queueCapacity, minRetryBackoffMs,
                maxRetryBackoffMs);
    }

    public ObjectWalConfig withBatching(long intervalMs, int objectBytes) {
        return new ObjectWalConfig(walNodeId, ownerNodeId, intervalMs, objectBytes, maxInFlightObjects,
                Math.max(maxInFlightBytes, objectBytes), appendTimeoutMs, Math.max(capacityBytes, maxInFlightBytes),
                readCacheBytes, queueCapacity, minRetryBackoffMs, maxRetryBackoffMs);
    }

    public ObjectWalConfig withInFlight(int objects, long bytes) {
        return new ObjectWalConfig(walNodeId, ownerNodeId, batchIntervalMs, maxObjectBytes, objects, bytes, appendTimeoutMs,
                Math.max(capacityBytes, bytes), readCacheBytes, queueCapacity, minRetryBackoffMs, maxRetryBackoffMs);
    }

    public ObjectWalConfig withAppendTimeoutMs(long timeoutMs) {
        return new ObjectWalConfig(walNodeId, ownerNodeId, batchIntervalMs, maxObjectBytes, maxInFlightObjects,
                maxInFlightBytes, timeoutMs, capacityBytes, readCacheBytes, queueCapacity, minRetryBackoffMs, maxRetryBackoffMs);
    }

    public ObjectWalConfig withCapacity(long bytes) {
        return new ObjectWalConfig(walNodeId, ownerNodeId, batchIntervalMs, maxObjectBytes, maxInFlightObjects,
                maxInFlightBytes, appendTimeoutMs, bytes, readCacheBytes, queueCapacity, minRetryBackoffMs, maxRetryBackoffMs);
    }

    public ObjectWalConfig withReadCacheBytes(long bytes) {
        return new ObjectWalConfig(walNodeId, ownerNodeId, batchIntervalMs, maxObjectBytes, maxInFlightObjects,
                maxInFlightBytes, appendTimeoutMs, capacityBytes, bytes, queueCapacity, minRetryBackoffMs, maxRetryBackoffMs);
    }

    public ObjectWalConfig withRetryBackoff(long minMs, long maxMs) {
        return new ObjectWalConfig(walNodeId, ownerNodeId, batchIntervalMs, maxObjectBytes, maxInFlightObjects,
                maxInFlightBytes, appendTimeoutMs, capacityBytes, readCacheBytes, queueCapacity, minMs, maxMs);
    }
}
