package dev.stratus.storage.wal;

import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.objects.ObjectStorageException;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads back the records of an object WAL segment that left the read cache: one GET of the whole
 * object, checked like recovery checks it. Remembers the last object it decoded, because the
 * uploader reads a WAL slice by slice and consecutive slices usually share an object.
 *
 * Counts what it reads, so that the cost of reading the WAL back can be told apart from
 * reads of uploaded objects.
 *
 * <p>Called on reader threads; the one-object memo is guarded by this object's monitor.
 */
final class ObjectWalSegmentLoader {

    private final ObjectStorage storage;
    private final AtomicLong objectsRead = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private long lastSequence = -1;
    private List<WalEntry> lastEntries;

    ObjectWalSegmentLoader(ObjectStorage storage) {
        this.storage = storage;
    }

    List<WalEntry> load(ObjectWalSegment segment) {
        synchronized (this) {
            if (lastSequence == segment.sequence()) {
                return lastEntries;
            }
        }
        ByteBuffer object;
        try {
            object = storage.rangeRead(segment.key(), 0, Long.MAX_VALUE).join();
        } catch (RuntimeException e) {
            throw new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, "cannot read WAL object " + segment.key() + ": "
                    + ObjectStorageException.unwrap(e), ObjectStorageException.unwrap(e));
        }
        objectsRead.incrementAndGet();
        bytesRead.addAndGet(object.remaining());
        ObjectWalFormat.Decoded decoded = ObjectWalFormat.decode(object);
        List<WalEntry> entries = new ArrayList<>();
        for (WalEntry entry : decoded.entries()) {
            if (entry.position() >= segment.startPosition() && entry.endPosition() <= segment.endPosition()) {
                entries.add(entry);
            }
        }
        if (entries.isEmpty() || entries.get(entries.size() - 1).endPosition() != segment.endPosition()) {
            // Recovery may have kept the valid prefix of a damaged object; anything less than that is an error.
            throw new StreamException(StreamErrorCode.UNEXPECTED, "WAL object " + segment.key() + " no longer holds records "
                    + segment.startPosition() + ".." + segment.endPosition() + ": " + decoded.invalidReason());
        }
        synchronized (this) {
            lastSequence = segment.sequence();
            lastEntries = entries;
        }
        return entries;
    }

    /** WAL objects fetched back from object storage (one GET each). */
    long objectsRead() {
        return objectsRead.get();
    }

    /** Bytes of the WAL objects fetched back. */
    long bytesRead() {
        return bytesRead.get();
    }
}
