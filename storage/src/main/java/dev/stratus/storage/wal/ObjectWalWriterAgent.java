package dev.stratus.storage.wal;

import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.objects.ObjectStorageErrorKind;
import dev.stratus.storage.objects.ObjectStorageException;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The object WAL's single writer. Appends join the open object; the open object is sealed when
 * it holds {@code maxObjectBytes}, when a barrier asks for it, {@code batchIntervalMs} after its
 * first append at the latest, or earlier once appends stopped (none for
 * {@link #APPENDS_STOPPED_MS}) if the previous seal is at least {@code batchIntervalMs} old. It
 * is then written with {@code putIfAbsent} under the next sequence. Up to
 * {@code maxInFlightObjects} objects are written at once, but they are acknowledged strictly in
 * sequence order: an object's callbacks run only once it and every object before it were
 * created. A failed PUT is retried with exponential backoff and never acknowledged before it
 * succeeds. A PUT that finds its key taken reads the object there: if it is this writer's own (an
 * ambiguous earlier attempt that did land) it counts as written; anything else is a fence, and
 * the writer fails every pending and future append with {@code FENCED}, acknowledging nothing
 * more.
 *
 * <p>Why seal early when appends stop: a Kafka producer keeps at most 5 requests in flight per
 * connection. Once they all sit in the open object nothing more arrives until it is
 * acknowledged; waiting out the interval then only delays them, and the records piling up in
 * the producer meanwhile start the next object only after this one's PUT. Why never sooner than
 * an interval after the previous seal: the interval is the PUT budget (at most one object per
 * interval unless objects fill up), so a producer that trickles requests cannot multiply PUTs.
 * With producers that keep their pipeline full, objects are then sealed once per interval, and
 * a record waits about 1.5 intervals plus a PUT (on average half an interval in the producer,
 * then a whole one in the next object): only a shorter interval, with more PUTs, lowers that.
 *
 * <p>Trims ride on the next object written (an empty one when nothing else is pending): its
 * header records the trim point, and only once that object is acknowledged are the objects
 * wholly below it deleted, so that recovery can always find where the live log starts.
 *
 * <p>Threading: {@link #run()} runs on the thread {@code stratus-object-wal-writer} (tests may
 * instead call {@link #doWork()} from their own thread), which owns the open object, the objects
 * in flight, sequences, positions and the read index's contents. Other threads only enqueue
 * requests under {@link #lock}; object storage completions are posted back as events. Queues are
 * bounded by count and bytes; time comes from the injected clock.
 */
final class ObjectWalWriterAgent implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectWalWriterAgent.class);
    private static final long MAX_WAIT_MS = 1_000;
    /**
     * No append for this long means appends stopped: every producer with a request in the open
     * object is then waiting for it. Above the 5 ms {@code linger.ms} that separates a Kafka
     * producer's pipelined requests, so one producer's burst lands in one object.
     */
    static final long APPENDS_STOPPED_MS = 10;

    /** An append, or a barrier when {@code batch} is null. */
    private record Request(StreamRecordBatch batch, WalAppendCallback callback, int frameSize, long deadlineMs) {
    }

    private record TrimWaiter(long position, CompletableFuture<Void> future) {
    }

    private enum PutState { WRITING, CHECKING, WAITING_RETRY, DONE }

    /** A sealed object: written, being written, or waiting to be retried. */
    private static final class Sealed {
        final ObjectWalHeader header;
        final String key;
        final ByteBuffer bytes;
        final List<Request> requests;
        final List<WalEntry> entries;
        PutState state = PutState.WRITING;
        int failures;
        long retryAtMs;

        Sealed(ObjectWalHeader header, String key, ByteBuffer bytes, List<Request> requests, List<WalEntry> entries) {
            this.header = header;
            this.key = key;
            this.bytes = bytes;
            this.requests = requests;
            this.entries = entries;
        }
    }

    private record PutDone(Sealed object, Boolean created, Throwable error) {
    }

    private record CheckDone(Sealed object, ByteBuffer header, Throwable error) {
    }

    private record DeleteDone(List<Long> sequences, long trimPosition, Throwable error) {
    }

    private final ObjectStorage storage;
    private final ObjectWalConfig config;
    private final Clock clock;
    private final long nonce;
    private final long epoch;
    private final NavigableMap<Long, ObjectWalSegment> index;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeup = lock.newCondition();
    private final ArrayDeque<Request> incoming = new ArrayDeque<>();
    private final ArrayDeque<Object> events = new ArrayDeque<>();
    private final List<TrimWaiter> trimWaiters = new ArrayList<>();
    private long incomingBytes;
    private long requestedTrim;
    private boolean closed;
    private StreamException failure;

    // Owned by the writer thread.
    private final List<Object> posted = new ArrayList<>();
    private final List<Request> ready = new ArrayList<>();
    private final List<Request> expired = new ArrayList<>();
    private long collectedTrim;
    private final List<Request> open = new ArrayList<>();
    private long openBytes;
    private int openRecords;
    private long openStart;
    private long openedAtMs;
    private long lastAppendMs;
    private long lastSealMs = Long.MIN_VALUE / 2;
    private boolean flushRequested;
    private final ArrayDeque<Sealed> inFlight = new ArrayDeque<>();
    private long inFlightBytes;
    private long nextSequence;
    private long nextPosition;
    private long carriedTrim;
    private long durableTrimSequence;
    private final TreeSet<Long> deletable = new TreeSet<>();
    private boolean deleting;
    private long deleteBlockedUntilMs;
    private final ArrayDeque<ObjectWalSegment> resident = new ArrayDeque<>();
    private long residentBytes;

    private volatile long confirmedPosition;
    private volatile long trimPosition;
    private volatile long objectsWritten;

    ObjectWalWriterAgent(ObjectStorage storage, ObjectWalConfig config, Clock clock, long nonce, ObjectWalRecovery recovery,
                         NavigableMap<Long, ObjectWalSegment> index) {
        this.storage = storage;
        this.config = config;
        this.clock = clock;
        this.nonce = nonce;
        this.epoch = recovery.epoch();
        this.index = index;
        this.nextSequence = recovery.resumeSequence();
        this.nextPosition = recovery.endPosition();
        this.openStart = nextPosition;
        this.confirmedPosition = nextPosition;
        this.trimPosition = recovery.startPosition();
        this.requestedTrim = recovery.startPosition();
        this.carriedTrim = recovery.startPosition();
        this.durableTrimSequence = recovery.trimSequence();
        this.deletable.addAll(recovery.dataSequences());
        for (ObjectWalSegment segment : recovery.segments()) {
            index.put(segment.startPosition(), segment);
            cache(segment);
        }
    }

    long confirmedPosition() {
        return confirmedPosition;
    }

    long trimPosition() {
        return trimPosition;
    }

    long epoch() {
        return epoch;
    }

    /** Objects created so far (data objects and trim markers). */
    long objectsWritten() {
        return objectsWritten;
    }

    // ---------------------------------------------------------------- caller threads

    void append(StreamRecordBatch batch, WalAppendCallback callback) {
        int frameSize = WalRecordFormat.frameSize(batch.sizeInBytes());
        if (frameSize > config.maxInFlightBytes()) {
            callback.onComplete(null, new StreamException(StreamErrorCode.RECORD_TOO_LARGE, "record of " + frameSize
                    + " bytes exceeds the object WAL's in-flight limit of " + config.maxInFlightBytes() + " bytes"));
            return;
        }
        enqueue(new Request(batch, callback, frameSize, clock.millis() + config.appendTimeoutMs()));
    }

    CompletableFuture<Void> barrier() {
        CompletableFuture<Void> future = new CompletableFuture<>();
        enqueue(new Request(null, (result, error) -> {
            if (error != null) {
                future.completeExceptionally(error);
            } else {
                future.complete(null);
            }
        }, 0, Long.MAX_VALUE));
        return future;
    }

    CompletableFuture<Void> trim(long position) {
        if (position > confirmedPosition) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "cannot trim to " + position + ", beyond the acknowledged end " + confirmedPosition));
        }
        if (position <= trimPosition) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed || failure != null) {
                return CompletableFuture.failedFuture(failure != null ? failure : unavailable("WAL closed"));
            }
            requestedTrim = Math.max(requestedTrim, position);
            trimWaiters.add(new TrimWaiter(position, future));
            wakeup.signal();
        } finally {
            lock.unlock();
        }
        return future;
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            wakeup.signal();
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(Request request) {
        StreamException rejection = null;
        lock.lock();
        try {
            if (failure != null) {
                rejection = failure;
            } else if (closed) {
                rejection = unavailable("WAL closed");
            } else if (incoming.size() >= config.queueCapacity() || incomingBytes + request.frameSize() > config.maxInFlightBytes()) {
                rejection = unavailable("object WAL queue full (" + incoming.size() + " appends, " + incomingBytes
                        + " bytes waiting for room)");
            } else {
                incoming.add(request);
                incomingBytes += request.frameSize();
                wakeup.signal();
            }
        } finally {
            lock.unlock();
        }
        if (rejection != null) {
            request.callback().onComplete(null, rejection);
        }
    }

    private void post(Object event) {
        lock.lock();
        try {
            events.add(event);
            wakeup.signal();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- writer thread

    @Override
    public void run() {
        try {
            while (collect(true)) {
                process();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutDown();
    }

    /**
     * One duty cycle without waiting, for tests that drive the writer from their own thread
     * (which then is the writer thread) with a manual clock. Returns false, after failing what
     * is pending, once closed or failed.
     */
    boolean doWork() {
        boolean running;
        try {
            running = collect(false);
        } catch (InterruptedException e) {
            throw new IllegalStateException("collect(false) does not wait", e);
        }
        if (running) {
            process();
        } else {
            shutDown();
        }
        return running;
    }

    /**
     * Under the lock: takes posted events and the queued appends that fit; with {@code wait},
     * blocks until one of them or a timed step is due. False once closed or failed.
     */
    private boolean collect(boolean wait) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (closed || failure != null) {
                    return false;
                }
                posted.addAll(events);
                events.clear();
                long now = clock.millis();
                acceptIncoming(now, ready, expired);
                collectedTrim = requestedTrim;
                if (!wait || !posted.isEmpty() || !ready.isEmpty() || !expired.isEmpty() || trimMarkerDue(collectedTrim)
                        || dueMs(now) <= now || deleteDue(now)) {
                    return true;
                }
                long waitMs = Math.min(MAX_WAIT_MS, Math.min(dueMs(now), incomingDeadlineMs()) - now);
                wakeup.await(Math.max(1, waitMs), TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Acts on what {@link #collect} took and on what is due; a fence or a bug fails the writer. */
    private void process() {
        try {
            if (!expired.isEmpty()) {
                failAll(expired, unavailable("object WAL full or object storage failing: no room for "
                        + config.appendTimeoutMs() + " ms (" + inFlight.size() + " objects, " + (inFlightBytes + openBytes)
                        + " bytes in flight; " + (nextPosition - trimPosition) + " bytes not yet trimmed)"));
                expired.clear();
            }
            for (Request request : ready) {
                complete(request, new WalAppendResult(openStart, openStart));
            }
            ready.clear();
            for (Object event : posted) {
                handle(event);
            }
            posted.clear();
            acknowledge();
            long now = clock.millis();
            retryDue(now);
            sealIfDue(now, collectedTrim);
            deleteTrimmed();
        } catch (StreamException e) {
            fail(e);
        } catch (RuntimeException e) {
            LOG.error("object WAL writer of node {} failed", config.walNodeId(), e);
            fail(new StreamException(StreamErrorCode.UNEXPECTED, "object WAL writer failed: " + e, e));
        }
    }

    /**
     * Under the lock: moves queued appends that fit into the open object (barriers that have
     * nothing to wait for go to {@code ready}); the head of a queue that stays blocked past its
     * deadline fails with everything behind it.
     */
    private void acceptIncoming(long now, List<Request> ready, List<Request> expired) {
        while (!incoming.isEmpty() && !(flushRequested && openRecords > 0)) {
            Request request = incoming.peek();
            if (request.batch() == null) {
                incoming.poll();
                if (openRecords > 0) {
                    // A barrier ends the open object: what follows goes into the next one.
                    open.add(request);
                    flushRequested = true;
                    return;
                } else if (!inFlight.isEmpty()) {
                    inFlight.peekLast().requests.add(request);
                } else {
                    ready.add(request);
                }
                continue;
            }
            if (!fits(request)) {
                if (request.deadlineMs() <= now) {
                    expired.addAll(incoming);
                    incoming.clear();
                    incomingBytes = 0;
                }
                return;
            }
            incoming.poll();
            incomingBytes -= request.frameSize();
            if (openRecords == 0) {
                openedAtMs = now;
            }
            lastAppendMs = now;
            open.add(request);
            openRecords++;
            openBytes += request.frameSize();
            nextPosition += request.frameSize();
        }
    }

    private boolean fits(Request request) {
        long frame = request.frameSize();
        if (openRecords > 0 && openBytes + frame > config.maxObjectBytes()) {
            flushRequested = true;
            return false;
        }
        boolean empty = openBytes + inFlightBytes == 0;
        return (empty || openBytes + inFlightBytes + frame <= config.maxInFlightBytes())
                && nextPosition + frame - trimPosition <= config.capacityBytes();
    }

    /** A trim point waits and no data object is open to carry it: an empty object will. */
    private boolean trimMarkerDue(long trimTarget) {
        return trimTarget > carriedTrim && openRecords == 0 && inFlight.size() < config.maxInFlightObjects();
    }

    private boolean deleteDue(long now) {
        return !deleting && now >= deleteBlockedUntilMs && !deletable.isEmpty() && deletable.first() < durableTrimSequence;
    }

    /** Under the lock: when the head of the queue gives up waiting. */
    private long incomingDeadlineMs() {
        Request head = incoming.peek();
        return head == null ? Long.MAX_VALUE : head.deadlineMs();
    }

    /**
     * When the open object is due by time: {@code batchIntervalMs} after its first append, or
     * earlier once appends stopped for {@link #APPENDS_STOPPED_MS}, though never sooner than
     * {@code batchIntervalMs} after the previous seal. An object opened while its predecessor
     * was being written is thus due an interval after that seal, not an interval plus the PUT.
     */
    private long sealAtMs() {
        long early = Math.max(lastAppendMs + APPENDS_STOPPED_MS, lastSealMs + config.batchIntervalMs());
        return Math.min(openedAtMs + config.batchIntervalMs(), early);
    }

    /** When the next timed step is due: the open object's seal, or a retry. */
    private long dueMs(long now) {
        long due = Long.MAX_VALUE;
        if (openRecords > 0 && inFlight.size() < config.maxInFlightObjects()) {
            due = (flushRequested || openBytes >= config.maxObjectBytes()) ? now : sealAtMs();
        }
        for (Sealed object : inFlight) {
            if (object.state == PutState.WAITING_RETRY) {
                due = Math.min(due, object.retryAtMs);
            }
        }
        return due;
    }

    private void handle(Object event) {
        if (event instanceof PutDone done) {
            putDone(done);
        } else if (event instanceof CheckDone done) {
            checkDone(done);
        } else if (event instanceof DeleteDone done) {
            deleteDone(done);
        }
    }

    private void putDone(PutDone done) {
        Sealed object = done.object();
        if (done.error() != null) {
            Throwable cause = ObjectStorageException.unwrap(done.error());
            if (cause instanceof UnsupportedOperationException) {
                throw new StreamException(StreamErrorCode.UNEXPECTED, "wal.type=object needs an object storage with "
                        + "conditional writes (putIfAbsent): " + cause.getMessage(), cause);
            }
            scheduleRetry(object, "PUT " + object.key, cause);
        } else if (done.created()) {
            object.state = PutState.DONE;
            objectsWritten++;
        } else {
            object.state = PutState.CHECKING;
            readBack(object);
        }
    }

    private void readBack(Sealed object) {
        CompletableFuture<ByteBuffer> read;
        try {
            read = storage.rangeRead(object.key, 0, ObjectWalFormat.HEADER_SIZE);
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        read.whenComplete((bytes, error) -> post(new CheckDone(object, bytes, error)));
    }

    /** The key was taken: ours (an earlier attempt landed after all) or a fence. */
    private void checkDone(CheckDone done) {
        Sealed object = done.object();
        if (done.error() != null) {
            if (ObjectStorageException.kindOf(done.error()) == ObjectStorageErrorKind.NOT_FOUND) {
                throw fenced(object, "its key was taken, then deleted, by another owner");
            }
            scheduleRetry(object, "read back " + object.key, ObjectStorageException.unwrap(done.error()));
            return;
        }
        ObjectWalHeader found = ObjectWalFormat.decodeHeader(done.header());
        if (found != null && !found.isFence() && found.writerNonce() == nonce && found.sequence() == object.header.sequence()) {
            LOG.info("object WAL {} was written by an earlier attempt whose answer was lost", object.key);
            object.state = PutState.DONE;
            objectsWritten++;
            return;
        }
        throw fenced(object, found == null ? "an unreadable object holds its key"
                : (found.isFence() ? "node " + found.writerNodeId() + " fenced it with epoch " + found.epoch()
                : "node " + found.writerNodeId() + " (epoch " + found.epoch() + ") wrote that sequence"));
    }

    private StreamException fenced(Sealed object, String why) {
        String message = "object WAL of node " + config.walNodeId() + " (epoch " + epoch + ") lost ownership at "
                + object.key + ": " + why;
        LOG.error("{}; failing every pending append, acknowledging nothing more", message);
        return new StreamException(StreamErrorCode.FENCED, message);
    }

    private void scheduleRetry(Sealed object, String what, Throwable cause) {
        object.failures++;
        long backoffMs = Math.min(config.maxRetryBackoffMs(), config.minRetryBackoffMs() << Math.min(object.failures - 1, 20));
        object.state = PutState.WAITING_RETRY;
        object.retryAtMs = clock.millis() + backoffMs;
        LOG.warn("object WAL: {} failed (attempt {}), retrying in {} ms; its {} appends wait: {}", what, object.failures,
                backoffMs, object.header.recordCount(), cause.toString());
    }

    private void retryDue(long now) {
        for (Sealed object : inFlight) {
            if (object.state == PutState.WAITING_RETRY && object.retryAtMs <= now) {
                put(object);
            }
        }
    }

    private void put(Sealed object) {
        object.state = PutState.WRITING;
        CompletableFuture<Boolean> put;
        try {
            put = storage.putIfAbsent(object.key, object.bytes.duplicate());
        } catch (RuntimeException e) {
            put = CompletableFuture.failedFuture(e);
        }
        put.whenComplete((created, error) -> post(new PutDone(object, created, error)));
    }

    /** Runs the callbacks of the objects at the head that are written, in sequence order. */
    private void acknowledge() {
        while (!inFlight.isEmpty() && inFlight.peek().state == PutState.DONE) {
            Sealed object = inFlight.poll();
            inFlightBytes -= object.header.bodySize();
            int record = 0;
            for (Request request : object.requests) {
                if (request.batch() != null) {
                    WalEntry entry = object.entries.get(record++);
                    complete(request, new WalAppendResult(entry.position(), entry.endPosition()));
                } else {
                    // A barrier: every record before it has been confirmed.
                    long reached = record == 0 ? object.header.startPosition() : object.entries.get(record - 1).endPosition();
                    confirmedPosition = reached;
                    complete(request, new WalAppendResult(reached, reached));
                }
            }
            if (!object.entries.isEmpty()) {
                ObjectWalSegment segment = new ObjectWalSegment(object.header.sequence(), object.key, object.entries);
                index.put(segment.startPosition(), segment);
                cache(segment);
            }
            deletable.add(object.header.sequence());
            confirmedPosition = object.header.endPosition();
            if (object.header.trimPosition() > trimPosition) {
                trimTo(object.header.trimPosition(), object.header.trimSequence());
            }
        }
    }

    private void complete(Request request, WalAppendResult result) {
        try {
            request.callback().onComplete(result, null);
        } catch (RuntimeException e) {
            LOG.error("WAL append callback failed", e);
        }
    }

    /** The trim point is durable (recorded by an acknowledged object): forget what lies below it. */
    private void trimTo(long position, long sequence) {
        trimPosition = position;
        durableTrimSequence = Math.max(durableTrimSequence, sequence);
        while (!index.isEmpty() && index.firstEntry().getValue().endPosition() <= position) {
            ObjectWalSegment segment = index.pollFirstEntry().getValue();
            if (segment.entries() != null) {
                residentBytes -= segment.bytes();
                segment.evict();
            }
        }
        resident.removeIf(segment -> segment.entries() == null);
    }

    private void cache(ObjectWalSegment segment) {
        resident.add(segment);
        residentBytes += segment.bytes();
        while (residentBytes > config.readCacheBytes() && !resident.isEmpty()) {
            ObjectWalSegment oldest = resident.poll();
            if (oldest.entries() != null) {
                residentBytes -= oldest.bytes();
                oldest.evict();
            }
        }
    }

    /** Seals the open object when due; writes an empty object when only a trim point is waiting. */
    private void sealIfDue(long now, long trimTarget) {
        if (inFlight.size() >= config.maxInFlightObjects()) {
            return;
        }
        boolean due = openRecords > 0 && (flushRequested || openBytes >= config.maxObjectBytes() || now >= sealAtMs());
        boolean trimOnly = trimMarkerDue(trimTarget);
        if (!due && !trimOnly) {
            return;
        }
        long sequence = nextSequence++;
        long trim = Math.max(carriedTrim, trimTarget);
        List<StreamRecordBatch> batches = new ArrayList<>(openRecords);
        List<WalEntry> entries = new ArrayList<>(openRecords);
        long position = openStart;
        for (Request request : open) {
            if (request.batch() != null) {
                batches.add(request.batch());
                entries.add(new WalEntry(position, position + request.frameSize(), request.batch()));
                position += request.frameSize();
            }
        }
        ObjectWalHeader header = new ObjectWalHeader(ObjectWalHeader.DATA, batches.size(), config.walNodeId(), epoch,
                config.ownerNodeId(), nonce, sequence, openStart, position, trim, trimSequenceFor(trim, sequence), -1, -1,
                (int) openBytes);
        ByteBuffer bytes = batches.isEmpty() ? ObjectWalFormat.encodeHeaderOnly(header) : ObjectWalFormat.encodeData(header, batches);
        Sealed object = new Sealed(header, ObjectWalKeys.key(config.walNodeId(), sequence), bytes, new ArrayList<>(open), entries);
        lastSealMs = now;
        inFlight.add(object);
        inFlightBytes += openBytes;
        carriedTrim = trim;
        open.clear();
        openRecords = 0;
        openBytes = 0;
        openStart = position;
        flushRequested = false;
        put(object);
    }

    /** Lowest sequence that may hold records at or above {@code trim}: recovery starts there. */
    private long trimSequenceFor(long trim, long sequence) {
        long lowest = sequence;
        if (!inFlight.isEmpty()) {
            lowest = Math.min(lowest, inFlight.peek().header.sequence());
        }
        for (ObjectWalSegment segment : index.values()) {
            if (segment.endPosition() > trim) {
                lowest = Math.min(lowest, segment.sequence());
                break;
            }
        }
        return Math.max(lowest, durableTrimSequence);
    }

    /** Deletes objects wholly below the durable trim point (one delete call at a time); then completes trim waiters. */
    private void deleteTrimmed() {
        if (deleting || clock.millis() < deleteBlockedUntilMs) {
            return;
        }
        List<Long> sequences = new ArrayList<>(deletable.headSet(durableTrimSequence));
        if (sequences.isEmpty()) {
            completeTrimWaiters(trimPosition);
            return;
        }
        deletable.removeAll(sequences);
        deleting = true;
        List<String> keys = sequences.stream().map(sequence -> ObjectWalKeys.key(config.walNodeId(), sequence)).toList();
        long trim = trimPosition;
        CompletableFuture<Void> delete;
        try {
            delete = storage.delete(keys);
        } catch (RuntimeException e) {
            delete = CompletableFuture.failedFuture(e);
        }
        delete.whenComplete((v, error) -> post(new DeleteDone(sequences, trim, error)));
    }

    private void deleteDone(DeleteDone done) {
        deleting = false;
        if (done.error() != null) {
            deleteBlockedUntilMs = clock.millis() + config.maxRetryBackoffMs();
            LOG.warn("object WAL: deleting {} trimmed objects failed, retrying in {} ms or later: {}", done.sequences().size(),
                    config.maxRetryBackoffMs(), ObjectStorageException.unwrap(done.error()).toString());
            deletable.addAll(done.sequences());
        }
        completeTrimWaiters(done.trimPosition());
    }

    private void completeTrimWaiters(long position) {
        List<TrimWaiter> done = new ArrayList<>();
        lock.lock();
        try {
            trimWaiters.removeIf(waiter -> {
                if (waiter.position() <= position) {
                    done.add(waiter);
                    return true;
                }
                return false;
            });
        } finally {
            lock.unlock();
        }
        done.forEach(waiter -> waiter.future().complete(null));
    }

    /** Fenced or broken: fail everything pending; the run loop then stops. */
    private void fail(StreamException error) {
        lock.lock();
        try {
            if (failure == null) {
                failure = error;
            }
        } finally {
            lock.unlock();
        }
    }

    /** On the writer thread as it stops: every request not acknowledged fails. */
    private void shutDown() {
        StreamException error;
        List<Request> pending = new ArrayList<>();
        List<TrimWaiter> waiters;
        lock.lock();
        try {
            error = failure != null ? failure : unavailable("WAL closed");
            pending.addAll(incoming);
            incoming.clear();
            incomingBytes = 0;
            waiters = new ArrayList<>(trimWaiters);
            trimWaiters.clear();
        } finally {
            lock.unlock();
        }
        List<Request> unacknowledged = new ArrayList<>();
        for (Sealed object : inFlight) {
            unacknowledged.addAll(object.requests);
        }
        unacknowledged.addAll(open);
        unacknowledged.addAll(pending);
        inFlight.clear();
        open.clear();
        if (!unacknowledged.isEmpty()) {
            LOG.info("object WAL of node {} stopped ({}): failing {} unacknowledged appends", config.walNodeId(),
                    error.getMessage(), unacknowledged.size());
        }
        failAll(unacknowledged, error);
        waiters.forEach(waiter -> waiter.future().completeExceptionally(error));
    }

    private static void failAll(List<Request> requests, Throwable error) {
        for (Request request : requests) {
            try {
                request.callback().onComplete(null, error);
            } catch (RuntimeException e) {
                LOG.error("WAL append callback failed", e);
            }
        }
    }

    private static StreamException unavailable(String message) {
        return new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, message);
    }
}
