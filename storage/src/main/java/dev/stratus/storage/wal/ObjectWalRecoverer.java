package dev.stratus.storage.wal;

import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.objects.ObjectStorageErrorKind;
import dev.stratus.storage.objects.ObjectStorageException;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Recovers one node's object WAL and fences every earlier owner, in one pass (the why is in
 * {@link ObjectWriteAheadLog}'s class comment):
 * <ol>
 *   <li>list {@code wal/<node>/} and read every object's header (one small ranged GET each);</li>
 *   <li>start at the highest trim point any live header records ({@code trimSequence}): no record
 *       below it is needed, and no object that could still be acknowledged lies below it;</li>
 *   <li>walk the sequences upward, reading each object and checking that positions continue;
 *       a fence met on the way sends the walk to where its epoch resumed; below the highest
 *       fence a missing object was trimmed and is skipped;</li>
 *   <li>at the first missing sequence above the highest fence, create a fence object there with
 *       {@code putIfAbsent}. Winning it ends the log: the old owner can never write that
 *       sequence, so it can never acknowledge anything at or after it. Losing it means the old
 *       owner's object landed meanwhile: read it and go on.</li>
 * </ol>
 * A torn or corrupt object in the current epoch ends the recovered log there: its valid records
 * are kept, and the fence goes to the first free sequence after every listed object, marking
 * everything from the corrupt object on as discarded.
 *
 * <p>Single use, on the caller's thread (blocking calls with bounded retries).
 */
final class ObjectWalRecoverer {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectWalRecoverer.class);
    private static final int HEADER_READS_AT_ONCE = 32;
    private static final int ATTEMPTS = 8;

    private final ObjectStorage storage;
    private final int walNodeId;
    private final int recovererNodeId;
    private final long nonce;
    private final long minBackoffMs;
    private final long maxBackoffMs;

    private final TreeMap<Long, String> listed = new TreeMap<>();
    private final TreeMap<Long, ObjectWalHeader> fences = new TreeMap<>();
    private final TreeSet<Long> dataSequences = new TreeSet<>();
    private final List<ObjectWalSegment> segments = new ArrayList<>();
    private long maxEpoch;
    private long trimPosition = -1;
    private long trimSequence;
    private long endPosition = -1;

    ObjectWalRecoverer(ObjectStorage storage, int walNodeId, int recovererNodeId, long nonce, long minBackoffMs, long maxBackoffMs) {
        this.storage = storage;
        this.walNodeId = walNodeId;
        this.recovererNodeId = recovererNodeId;
        this.nonce = nonce;
        this.minBackoffMs = minBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
    }

    ObjectWalRecovery recover() {
        String prefix = ObjectWalKeys.prefix(walNodeId);
        for (String key : call("list " + prefix, () -> storage.list(prefix))) {
            long sequence = ObjectWalKeys.sequence(walNodeId, key);
            if (sequence >= 0) {
                listed.put(sequence, key);
            }
        }
        Map<Long, ObjectWalHeader> headers = readHeaders();
        headers.values().stream().filter(ObjectWalHeader::isFence).forEach(fence -> fences.put(fence.sequence(), fence));
        chooseStart(headers);
        dataSequences.addAll(listed.keySet());
        dataSequences.removeAll(fences.keySet());
        return walk();
    }

    private Map<Long, ObjectWalHeader> readHeaders() {
        Map<Long, ObjectWalHeader> headers = new HashMap<>();
        List<Long> sequences = new ArrayList<>(listed.keySet());
        for (int from = 0; from < sequences.size(); from += HEADER_READS_AT_ONCE) {
            List<Long> batch = sequences.subList(from, Math.min(sequences.size(), from + HEADER_READS_AT_ONCE));
            Map<Long, CompletableFuture<ByteBuffer>> reads = new HashMap<>();
            for (long sequence : batch) {
                reads.put(sequence, read(sequence, ObjectWalFormat.HEADER_SIZE));
            }
            for (long sequence : batch) {
                ByteBuffer bytes = awaitRead(sequence, reads.get(sequence), ObjectWalFormat.HEADER_SIZE);
                if (bytes == null) {
                    listed.remove(sequence);
                    continue;
                }
                ObjectWalHeader header = ObjectWalFormat.decodeHeader(bytes);
                if (header != null && header.sequence() == sequence) {
                    headers.put(sequence, header);
                    maxEpoch = Math.max(maxEpoch, header.epoch());
                }
            }
        }
        return headers;
    }

    /** The highest trim point recorded by an object that no fence discarded. */
    private void chooseStart(Map<Long, ObjectWalHeader> headers) {
        ObjectWalHeader best = null;
        for (ObjectWalHeader header : headers.values()) {
            if (discarded(header)) {
                continue;
            }
            if (best == null || header.trimSequence() > best.trimSequence()
                    || (header.trimSequence() == best.trimSequence() && header.trimPosition() > best.trimPosition())) {
                best = header;
            }
        }
        if (best != null) {
            trimSequence = best.trimSequence();
            trimPosition = best.trimPosition();
        } else {
            trimSequence = listed.isEmpty() ? 0 : listed.firstKey();
        }
    }

    private ObjectWalRecovery walk() {
        long x = trimSequence;
        long expected = -1;
        long discardFrom = -1;
        String stopReason = null;
        while (true) {
            ObjectWalHeader covering = coveringFence(x);
            if (covering != null) {
                x = covering.resumeSequence();
                expected = covering.endPosition();
                endPosition = Math.max(endPosition, expected);
                discardFrom = -1;
                stopReason = null;
                continue;
            }
            ByteBuffer object;
            if (listed.containsKey(x)) {
                if (discardFrom >= 0) {
                    x++;
                    continue;
                }
                object = readWhole(x);
                if (object == null) {
                    LOG.debug("WAL object {} of node {} was deleted since the listing (trimmed)", x, walNodeId);
                    expected = -1;
                    x++;
                    continue;
                }
            } else if (x < highestFence()) {
                x = nextCandidate(x);
                expected = -1;
                continue;
            } else {
                long end = endPosition >= 0 ? endPosition : Math.max(0, trimPosition);
                long from = discardFrom >= 0 ? discardFrom : x;
                ObjectWalHeader fence = new ObjectWalHeader(ObjectWalHeader.FENCE, 0, walNodeId, maxEpoch + 1, recovererNodeId,
                        nonce, x, end, end, Math.max(0, trimPosition), trimSequence, from,
                        x + ObjectWriteAheadLog.FENCE_GAP, 0);
                if (create(x, fence)) {
                    return finish(fence, stopReason != null ? stopReason : "no object " + x + " (the end of the log)");
                }
                object = readWhole(x);
                if (object == null) {
                    continue;
                }
                if (discardFrom >= 0) {
                    ObjectWalHeader header = ObjectWalFormat.decodeHeader(object.duplicate());
                    if (header != null && header.isFence()) {
                        register(header);
                    } else {
                        x++;
                    }
                    continue;
                }
            }
            ObjectWalFormat.Decoded decoded = ObjectWalFormat.decode(object);
            ObjectWalHeader header = decoded.header();
            if (header != null && header.sequence() != x) {
                decoded = new ObjectWalFormat.Decoded(header, List.of(), "header names sequence " + header.sequence());
            }
            if (header != null && header.isFence() && decoded.valid()) {
                register(header);
                continue;
            }
            if (header != null) {
                maxEpoch = Math.max(maxEpoch, header.epoch());
            }
            dataSequences.add(x);
            String problem = decoded.invalidReason();
            List<WalEntry> entries = decoded.entries();
            if (problem == null && expected >= 0 && header.startPosition() != expected) {
                problem = "starts at position " + header.startPosition() + ", the previous object ended at " + expected;
                entries = List.of();
            }
            keep(x, entries);
            if (problem == null) {
                expected = header.endPosition();
                endPosition = Math.max(endPosition, expected);
                x++;
                continue;
            }
            if (x < highestFence()) {
                LOG.error("WAL object {} of node {} in an epoch already recovered is unreadable, skipping it: {}", x, walNodeId, problem);
                expected = -1;
                x++;
                continue;
            }
            stopReason = "object " + ObjectWalKeys.key(walNodeId, x) + " is torn or corrupt: " + problem;
            LOG.warn("WAL recovery of node {} stops at {}", walNodeId, stopReason);
            discardFrom = x;
            x = Math.max(x, listed.isEmpty() ? x : listed.lastKey()) + 1;
        }
    }

    private void register(ObjectWalHeader fence) {
        fences.put(fence.sequence(), fence);
        maxEpoch = Math.max(maxEpoch, fence.epoch());
    }

    private void keep(long sequence, List<WalEntry> entries) {
        List<WalEntry> live = new ArrayList<>();
        for (WalEntry entry : entries) {
            if (trimPosition < 0) {
                trimPosition = entry.position();
            }
            if (entry.position() >= trimPosition) {
                live.add(entry);
            }
        }
        if (!live.isEmpty()) {
            segments.add(new ObjectWalSegment(sequence, ObjectWalKeys.key(walNodeId, sequence), live));
            endPosition = Math.max(endPosition, live.get(live.size() - 1).endPosition());
        }
    }

    private ObjectWalRecovery finish(ObjectWalHeader fence, String stopReason) {
        long start = Math.max(0, trimPosition);
        long end = Math.max(start, endPosition);
        ObjectWalRecovery recovery = new ObjectWalRecovery(walNodeId, segments, start, end, trimSequence, fence.epoch(),
                fence.sequence(), fence.resumeSequence(), new TreeSet<>(dataSequences), stopReason);
        LOG.info("object WAL of node {} recovered by node {}: {} records ({} bytes) in {}..{} from {} objects; fenced at "
                        + "sequence {} with epoch {}; stopped because {}", walNodeId, recovererNodeId, recovery.records(),
                recovery.bytes(), start, end, segments.size(), fence.sequence(), fence.epoch(), stopReason);
        return recovery;
    }

    private boolean discarded(ObjectWalHeader header) {
        for (ObjectWalHeader fence : fences.values()) {
            if (header.discardedBy(fence)) {
                return true;
            }
        }
        return false;
    }

    /** A known fence whose discarded range (or own sequence) holds {@code x}. */
    private ObjectWalHeader coveringFence(long x) {
        ObjectWalHeader covering = null;
        for (ObjectWalHeader fence : fences.values()) {
            if (x >= fence.discardFrom() && x < fence.resumeSequence()
                    && (covering == null || fence.resumeSequence() > covering.resumeSequence())) {
                covering = fence;
            }
        }
        return covering;
    }

    private long highestFence() {
        return fences.isEmpty() ? -1 : fences.lastKey();
    }

    /** Below the highest fence: the next sequence worth looking at after a trimmed one. */
    private long nextCandidate(long x) {
        long next = highestFence();
        Long nextListed = listed.higherKey(x);
        if (nextListed != null) {
            next = Math.min(next, nextListed);
        }
        for (ObjectWalHeader fence : fences.values()) {
            if (fence.discardFrom() > x) {
                next = Math.min(next, fence.discardFrom());
            }
        }
        return next;
    }

    /** Creates the fence; true if it is ours (also after an ambiguous failure of our own earlier attempt). */
    private boolean create(long sequence, ObjectWalHeader fence) {
        String key = ObjectWalKeys.key(walNodeId, sequence);
        ByteBuffer bytes = ObjectWalFormat.encodeHeaderOnly(fence);
        boolean created;
        try {
            created = call("create fence " + key, () -> storage.putIfAbsent(key, bytes.duplicate()));
        } catch (UnsupportedOperationException e) {
            throw new StreamException(StreamErrorCode.UNEXPECTED, "wal.type=object needs an object storage with conditional "
                    + "writes (putIfAbsent): " + e.getMessage(), e);
        }
        if (created) {
            return true;
        }
        ByteBuffer existing = readWhole(sequence);
        ObjectWalHeader header = existing == null ? null : ObjectWalFormat.decodeHeader(existing);
        return header != null && header.isFence() && header.writerNonce() == nonce && header.sequence() == sequence;
    }

    private ByteBuffer readWhole(long sequence) {
        return awaitRead(sequence, null, Long.MAX_VALUE);
    }

    private CompletableFuture<ByteBuffer> read(long sequence, long end) {
        try {
            return storage.rangeRead(ObjectWalKeys.key(walNodeId, sequence), 0, end);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The object's first {@code end} bytes, or null when it does not exist. */
    private ByteBuffer awaitRead(long sequence, CompletableFuture<ByteBuffer> first, long end) {
        CompletableFuture<ByteBuffer> attempt = first != null ? first : read(sequence, end);
        for (int i = 1; ; i++) {
            try {
                return attempt.join();
            } catch (RuntimeException e) {
                ObjectStorageErrorKind kind = ObjectStorageException.kindOf(e);
                if (kind == ObjectStorageErrorKind.NOT_FOUND) {
                    return null;
                }
                giveUpOrWait("read " + ObjectWalKeys.key(walNodeId, sequence), i, e);
                attempt = read(sequence, end);
            }
        }
    }

    private <T> T call(String what, Supplier<CompletableFuture<T>> call) {
        for (int i = 1; ; i++) {
            try {
                return call.get().join();
            } catch (UnsupportedOperationException e) {
                throw e;
            } catch (RuntimeException e) {
                if (ObjectStorageException.unwrap(e) instanceof UnsupportedOperationException unsupported) {
                    throw unsupported;
                }
                giveUpOrWait(what, i, e);
            }
        }
    }

    private void giveUpOrWait(String what, int attempt, RuntimeException error) {
        Throwable cause = ObjectStorageException.unwrap(error);
        if (attempt >= ATTEMPTS || ObjectStorageException.kindOf(cause) == ObjectStorageErrorKind.PERMANENT) {
            throw new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, "object WAL recovery of node " + walNodeId
                    + " failed to " + what + " after " + attempt + " attempts: " + cause, cause);
        }
        long backoffMs = Math.min(maxBackoffMs, minBackoffMs << Math.min(attempt - 1, 20));
        LOG.warn("object WAL recovery of node {}: {} failed (attempt {}), retrying in {} ms: {}", walNodeId, what, attempt,
                backoffMs, cause.toString());
        try {
            Thread.sleep(backoffMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, "interrupted while recovering the WAL of node " + walNodeId);
        }
    }
}
