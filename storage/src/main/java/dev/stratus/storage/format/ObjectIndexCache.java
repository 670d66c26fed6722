package dev.stratus.storage.format;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded least-recently-used map of object indexes, so that readers fetch an object's
 * footer and index once. Thread-safe (one lock; entries are immutable).
 */
public final class ObjectIndexCache {

    private final Map<Long, ObjectIndex> indexes;

    public ObjectIndexCache(int maxEntries) {
        this.indexes = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, ObjectIndex> eldest) {
                return size() > maxEntries;
            }
        };
    }

    public synchronized ObjectIndex get(long objectId) {
        return indexes.get(objectId);
    }

    public synchronized void put(ObjectIndex index) {
        indexes.put(index.objectId(), index);
    }

    public synchronized void invalidate(long objectId) {
        indexes.remove(objectId);
    }
}
