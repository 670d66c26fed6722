package dev.stratus.storage.wal;

import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The object WAL ({@code wal.type=object}): appends are batched into objects under
 * {@code wal/<nodeId>/<sequence>}, sealed at most {@code batchIntervalMs} after their first
 * append (earlier when appends stop, at most one per interval) or at {@code maxObjectBytes},
 * and acknowledged once the object's PUT succeeded. Nothing lives on the
 * broker's disk, so any node can recover a dead node's WAL from object storage alone.
 * Format and keys: {@code docs/formats.md}, "Object WAL"; writer: {@link ObjectWalWriterAgent};
 * recovery: {@link ObjectWalRecoverer}.
 *
 * <h2>Ownership fence</h2>
 * Object storage has no leases, so ownership is decided by the one atomic primitive it offers:
 * create-if-absent on a key ({@link ObjectStorage#putIfAbsent}, S3 {@code If-None-Match: *}).
 * <ul>
 *   <li>Every owner writes objects with consecutive sequence numbers, each with
 *       {@code putIfAbsent}, and acknowledges them strictly in sequence order. So an owner can
 *       acknowledge an object only if it created that object and every lower sequence.</li>
 *   <li>Whoever opens the WAL (the node itself after a restart, or another node recovering it)
 *       walks the sequences from the trim point and, at the first missing sequence {@code t},
 *       creates a <em>fence</em> object. If the fence wins, the old owner's PUT of {@code t}
 *       fails, so it can never acknowledge {@code t} or anything after it: everything it did or
 *       will acknowledge lies below {@code t}, and the walk has read all of it. If the fence
 *       loses, the old owner's object landed first; the walk reads it and tries {@code t + 1}.</li>
 *   <li>An owner whose PUT finds its key taken reads the header there. Its own object (an
 *       earlier attempt that landed although its answer was lost) counts as written; anything
 *       else means it was fenced: it fails every pending and future append with
 *       {@code FENCED} and acknowledges nothing more.</li>
 *   <li>An owner keeps at most {@code maxInFlightObjects} (at most {@link #FENCE_GAP}) sequences
 *       beyond its oldest unwritten one in flight, so after a fence at {@code t} a stale owner can
 *       only ever create objects below {@code t + FENCE_GAP}. The new epoch starts there
 *       ({@code resumeSequence}); objects a stale owner left in between are discarded by
 *       every later recovery, which recognises them by their lower epoch.</li>
 *   <li>Fence objects are never deleted: deleting one would let a stale owner, retrying an old
 *       PUT, create that sequence after all.</li>
 * </ul>
 * Where a recovery starts is also fenced against races: every object records the writer's trim
 * point and the lowest sequence that may hold data above it; an owner deletes trimmed objects
 * only after an object recording that trim point was written, so the highest trim point in any
 * listing is safe to start from, and below the highest fence a missing sequence is one that was
 * trimmed. A torn or corrupt object of the current epoch ends the recovered log there.
 *
 * <p>Threading: appends, barriers and trims are handed to the writer thread
 * {@code stratus-object-wal-writer}; {@link #start()} recovers on the caller's thread;
 * {@link #read} runs on the caller's thread, from memory for recent records and from object
 * storage otherwise.
 */
public final class ObjectWriteAheadLog implements WriteAheadLog {

    /** Sequences reserved after a fence for a stale owner's in-flight objects; bounds {@code maxInFlightObjects}. */
    public static final int FENCE_GAP = 64;

    private static final Logger LOG = LoggerFactory.getLogger(ObjectWriteAheadLog.class);
    private static final SecureRandom NONCES = new SecureRandom();

    private final ObjectWalConfig config;
    private final ObjectStorage storage;
    private final Clock clock;
    private final long nonce = NONCES.nextLong();
    private final ConcurrentSkipListMap<Long, ObjectWalSegment> index = new ConcurrentSkipListMap<>();
    private final ObjectWalSegmentLoader loader;
    private ObjectWalWriterAgent writer;
    private Thread writerThread;

    /** @param storage where the WAL objects live; must support {@link ObjectStorage#putIfAbsent}. Not closed by the WAL. */
    public ObjectWriteAheadLog(ObjectWalConfig config, ObjectStorage storage, Clock clock) {
        this.config = config;
        this.storage = storage;
        this.clock = clock;
        this.loader = new ObjectWalSegmentLoader(storage);
    }

    /**
     * Recovers {@code walNodeId}'s WAL without taking it over: fences every owner it had, and
     * returns every record it held above its trim point (each acknowledged record is there). The
     * WAL stays in object storage; whoever opens it next (any node) finds the same records again
     * until an owner trims them.
     */
    public static ObjectWalRecovery recover(ObjectStorage storage, int walNodeId, int recovererNodeId) {
        return new ObjectWalRecoverer(storage, walNodeId, recovererNodeId, NONCES.nextLong(),
                ObjectWalConfig.DEFAULT_MIN_RETRY_BACKOFF_MS, ObjectWalConfig.DEFAULT_MAX_RETRY_BACKOFF_MS).recover();
    }

    @Override
    public synchronized WalRecoveryResult start() {
        if (writer != null) {
            throw new IllegalStateException("WAL already started");
        }
        ObjectWalRecovery recovery = new ObjectWalRecoverer(storage, config.walNodeId(), config.ownerNodeId(), nonce,
                config.minRetryBackoffMs(), config.maxRetryBackoffMs()).recover();
        writer = new ObjectWalWriterAgent(storage, config, clock, nonce, recovery, index);
        writerThread = new Thread(writer, "stratus-object-wal-writer");
        writerThread.setDaemon(true);
        writerThread.start();
        LOG.info("object WAL of node {} opened by node {} with epoch {}: {} records to replay in {}..{}, new objects from "
                        + "sequence {}", config.walNodeId(), config.ownerNodeId(), recovery.epoch(), recovery.records(),
                recovery.startPosition(), recovery.endPosition(), recovery.resumeSequence());
        return recovery.result();
    }

    @Override
    public void append(StreamRecordBatch batch, WalAppendCallback callback) {
        ObjectWalWriterAgent agent = writer;
        if (agent == null) {
            callback.onComplete(null, new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, "WAL not started"));
            return;
        }
        agent.append(batch, callback);
    }

    @Override
    public CompletableFuture<Void> barrier() {
        return started().barrier();
    }

    @Override
    public WalReadResult read(long fromPosition, long toPosition, long maxBytes) {
        ObjectWalWriterAgent agent = started();
        long trim = agent.trimPosition();
        long confirmed = agent.confirmedPosition();
        if (fromPosition < trim || toPosition > confirmed || fromPosition > toPosition) {
            throw new IllegalArgumentException("cannot read " + fromPosition + ".." + toPosition + " outside the live range "
                    + trim + ".." + confirmed);
        }
        List<WalEntry> entries = new ArrayList<>();
        long position = fromPosition;
        long bytes = 0;
        Map.Entry<Long, ObjectWalSegment> first = index.floorEntry(fromPosition);
        Long startKey = first != null ? first.getKey() : index.ceilingKey(fromPosition);
        if (startKey == null) {
            return new WalReadResult(entries, position);
        }
        for (ObjectWalSegment segment : index.tailMap(startKey, true).values()) {
            if (segment.startPosition() >= toPosition) {
                break;
            }
            List<WalEntry> records = segment.entries();
            if (records == null) {
                records = loader.load(segment);
            }
            for (WalEntry entry : records) {
                if (entry.position() < fromPosition) {
                    continue;
                }
                if (entry.endPosition() > toPosition || (!entries.isEmpty() && bytes >= maxBytes)) {
                    return new WalReadResult(entries, position);
                }
                entries.add(entry);
                bytes += entry.batch().sizeInBytes();
                position = entry.endPosition();
            }
        }
        return new WalReadResult(entries, position);
    }

    @Override
    public CompletableFuture<Void> trim(long position) {
        return started().trim(position);
    }

    @Override
    public long trimPosition() {
        return started().trimPosition();
    }

    @Override
    public long confirmedPosition() {
        return started().confirmedPosition();
    }

    @Override
    public long capacity() {
        return config.capacityBytes();
    }

    /** The epoch this owner claimed when it opened the WAL. */
    public long epoch() {
        return started().epoch();
    }

    /** Objects this owner created since {@link #start()} (data objects and trim markers). */
    public long objectsWritten() {
        return started().objectsWritten();
    }

    /**
     * WAL objects read back from object storage because their records had left the read cache
     * (by the uploader, or by tail reads of data the log cache no longer held): one GET each.
     */
    public long objectsReadBack() {
        return loader.objectsRead();
    }

    /** Bytes of the WAL objects read back (see {@link #objectsReadBack()}). */
    public long bytesReadBack() {
        return loader.bytesRead();
    }

    public ObjectWalConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        if (writer == null) {
            return;
        }
        writer.close();
        try {
            writerThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("object WAL of node {} closed at position {}, trimmed to {}", config.walNodeId(), writer.confirmedPosition(),
                writer.trimPosition());
    }

    private ObjectWalWriterAgent started() {
        ObjectWalWriterAgent agent = writer;
        if (agent == null) {
            throw new IllegalStateException("WAL not started");
        }
        return agent;
    }
}
