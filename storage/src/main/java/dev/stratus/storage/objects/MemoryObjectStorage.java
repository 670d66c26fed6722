package dev.stratus.storage.objects;

import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Object storage in a map, for unit tests only. Calls complete on the caller's thread before
 * returning. Thread-safe.
 */
public final class MemoryObjectStorage implements ObjectStorage {

    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();
    private final ObjectStorageStats stats = new ObjectStorageStats();

    @Override
    public CompletableFuture<Void> put(String key, ByteBuffer data) {
        long startNs = System.nanoTime();
        ByteBuffer source = data.duplicate();
        byte[] copy = new byte[source.remaining()];
        source.get(copy);
        objects.put(key, copy);
        stats.record(ObjectStorageStats.CallType.PUT, copy.length, System.nanoTime() - startNs);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> putIfAbsent(String key, ByteBuffer data) {
        long startNs = System.nanoTime();
        ByteBuffer source = data.duplicate();
        byte[] copy = new byte[source.remaining()];
        source.get(copy);
        boolean created = objects.putIfAbsent(key, copy) == null;
        stats.record(ObjectStorageStats.CallType.PUT, created ? copy.length : 0, System.nanoTime() - startNs);
        return CompletableFuture.completedFuture(created);
    }

    @Override
    public CompletableFuture<ByteBuffer> rangeRead(String key, long start, long end) {
        long startNs = System.nanoTime();
        byte[] object = objects.get(key);
        if (object == null) {
            return CompletableFuture.failedFuture(new NoSuchFileException(key));
        }
        if (start < 0 || start > end || start > object.length) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("bad range " + start + ".." + end + " of " + object.length));
        }
        int to = (int) Math.min(end, object.length);
        ByteBuffer result = ByteBuffer.allocate(to - (int) start);
        result.put(object, (int) start, to - (int) start).flip();
        stats.record(ObjectStorageStats.CallType.GET, result.remaining(), System.nanoTime() - startNs);
        return CompletableFuture.completedFuture(result);
    }

    @Override
    public CompletableFuture<Long> size(String key) {
        byte[] object = objects.get(key);
        stats.record(ObjectStorageStats.CallType.HEAD, 0, 0);
        return object == null
                ? CompletableFuture.failedFuture(new NoSuchFileException(key))
                : CompletableFuture.completedFuture((long) object.length);
    }

    @Override
    public CompletableFuture<List<String>> list(String prefix) {
        List<String> keys = new ArrayList<>();
        for (String key : objects.tailMap(prefix).keySet()) {
            if (!key.startsWith(prefix)) {
                break;
            }
            keys.add(key);
        }
        stats.record(ObjectStorageStats.CallType.LIST, 0, 0);
        return CompletableFuture.completedFuture(keys);
    }

    @Override
    public CompletableFuture<Void> delete(List<String> keys) {
        keys.forEach(objects::remove);
        stats.record(ObjectStorageStats.CallType.DELETE, 0, 0);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public ObjectStorageStats stats() {
        return stats;
    }

    @Override
    public void close() {
    }
}
