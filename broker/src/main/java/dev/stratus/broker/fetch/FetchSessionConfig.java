package dev.stratus.broker.fetch;

/**
 * Settings of the fetch session cache (KIP-227).
 *
 * @param cacheSlots {@code max.incremental.fetch.session.cache.slots}: most sessions kept at once
 *                   (Kafka's default 1000); 0 turns incremental fetch sessions off
 * @param evictionMs how long a session is protected from eviction: a session unused for this long
 *                   may be evicted by any new one, and one at least this old by a new session with
 *                   more partitions (Kafka's constant {@code min.incremental.fetch.session.eviction.ms},
 *                   120 s)
 */
public record FetchSessionConfig(int cacheSlots, long evictionMs) {

    public static final int DEFAULT_CACHE_SLOTS = 1000;
    public static final long DEFAULT_EVICTION_MS = 120_000L;

    public FetchSessionConfig {
        if (cacheSlots < 0) {
            throw new IllegalArgumentException("max.incremental.fetch.session.cache.slots must not be negative: " + cacheSlots);
        }
        if (evictionMs < 0) {
            throw new IllegalArgumentException("fetch session eviction time must not be negative: " + evictionMs);
        }
    }

    public static FetchSessionConfig defaults() {
        return new FetchSessionConfig(DEFAULT_CACHE_SLOTS, DEFAULT_EVICTION_MS);
    }
}
