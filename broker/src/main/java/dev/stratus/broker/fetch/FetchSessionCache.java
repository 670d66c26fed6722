package dev.stratus.broker.fetch;

import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The broker's fetch sessions by id, at most {@link FetchSessionConfig#cacheSlots()} of them, in
 * least-recently-used order. When every slot is taken, a new session takes the slot of (KIP-227):
 * the least recently used session if it has not been used for {@link FetchSessionConfig#evictionMs()};
 * otherwise the smallest session that is at least that old and has fewer partitions than the new
 * one; otherwise no session is created and the fetch is answered sessionless (session id 0).
 *
 * <p>Thread: called from every event loop. Every method is synchronized on the cache and short
 * (eviction scans at most the slots); the cache never takes a session's lock, so there is no lock
 * order to keep. Session ids are random, positive and never 0.
 */
public final class FetchSessionCache {

    private final FetchSessionConfig config;
    private final Clock clock;
    private final RandomGenerator random;
    private final LinkedHashMap<Integer, FetchSession> sessions = new LinkedHashMap<>(16, 0.75f, true);
    private long created;
    private long evicted;

    public FetchSessionCache(FetchSessionConfig config, Clock clock, RandomGenerator random) {
        this.config = config;
        this.clock = clock;
        this.random = random;
    }

    /** Sessions held now. */
    public synchronized int size() {
        return sessions.size();
    }

    /** Sessions created since start. */
    public synchronized long created() {
        return created;
    }

    /** Sessions evicted to make room for new ones since start. */
    public synchronized long evicted() {
        return evicted;
    }

    long nowMs() {
        return clock.millis();
    }

    /** The session with this id, marked as just used; null if there is none (id 0 included). */
    synchronized FetchSession get(int id) {
        return sessions.get(id);
    }

    /** Closes a session; false if there was none. */
    synchronized boolean remove(int id) {
        return sessions.remove(id) != null;
    }

    /** A new session over {@code partitions}, or null if no slot is free or can be freed. */
    synchronized FetchSession create(boolean usesTopicIds, List<PartitionFetch> partitions) {
        if (config.cacheSlots() == 0 || partitions.size() > FetchSession.MAX_PARTITIONS) {
            return null;
        }
        long nowMs = clock.millis();
        if (sessions.size() >= config.cacheSlots() && !evictFor(partitions.size(), nowMs)) {
            return null;
        }
        int id;
        do {
            id = random.nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        FetchSession session = new FetchSession(id, usesTopicIds, nowMs, partitions);
        sessions.put(id, session);
        created++;
        return session;
    }

    private boolean evictFor(int newSize, long nowMs) {
        Iterator<FetchSession> leastRecent = sessions.values().iterator();
        FetchSession victim = null;
        FetchSession first = leastRecent.next();
        if (nowMs - first.lastUsedMs() >= config.evictionMs()) {
            victim = first;
        } else {
            for (FetchSession session : sessions.values()) {
                boolean eligible = nowMs - session.createdMs() >= config.evictionMs() && session.size() < newSize;
                if (eligible && (victim == null || session.size() < victim.size())) {
                    victim = session;
                }
            }
        }
        if (victim == null) {
            return false;
        }
        sessions.remove(victim.id());
        evicted++;
        return true;
    }
}
