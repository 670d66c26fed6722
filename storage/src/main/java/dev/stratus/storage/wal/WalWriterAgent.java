package dev.stratus.storage.wal;

import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static dev.stratus.storage.wal.WalRecordFormat.alignDown;
import static dev.stratus.storage.wal.WalRecordFormat.alignUp;

/**
 * The WAL's single writer: takes queued appends in order, packs as many as fit into one
 * page-aligned write (group commit), forces it, then runs their callbacks in order. Also
 * persists trim points to the header, so that space is reused only once the new trim point is
 * durable. When the ring is full the head of the queue waits for a trim until its deadline,
 * then it and everything queued behind it fail with {@code STORAGE_UNAVAILABLE}.
 *
 * <p>Threading: {@link #run()} runs on the thread {@code stratus-wal-writer}, which owns the
 * write position, the header and the file's write side; other threads only enqueue under
 * {@link #lock}. The queue is bounded by count and bytes.
 */
final class WalWriterAgent implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(WalWriterAgent.class);

    /** An append (or, when {@code batch} is null, a barrier) waiting for the writer. */
    private record Request(StreamRecordBatch batch, WalAppendCallback callback, int frameSize, long deadlineNs) {
    }

    private record TrimWaiter(long position, CompletableFuture<Void> future) {
    }

    private final WalFile file;
    private final WalConfig config;
    private final long capacity;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeup = lock.newCondition();
    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    private final List<TrimWaiter> trimWaiters = new ArrayList<>();
    private long queuedBytes;
    private long requestedTrim;
    private boolean closed;
    private Throwable broken;

    // Owned by the writer thread.
    private WalHeader header;
    private long writePosition;
    private byte[] prefix;
    private ByteBuffer groupBuffer = ByteBuffer.allocate(0);

    private volatile long confirmedPosition;
    private volatile long durablePosition;
    private volatile long trimPosition;
    private volatile long forces;

    /**
     * @param header        the header as persisted at the end of recovery (its generation stamps new records)
     * @param writePosition where recovery stopped: the next record goes there
     * @param prefix        bytes of the page holding {@code writePosition} that lie before it (rewritten with the first group)
     */
    WalWriterAgent(WalFile file, WalConfig config, WalHeader header, long writePosition, byte[] prefix) {
        this.file = file;
        this.config = config;
        this.capacity = file.capacity();
        this.header = header;
        this.writePosition = writePosition;
        this.prefix = prefix;
        this.confirmedPosition = writePosition;
        this.durablePosition = writePosition;
        this.trimPosition = header.trimPosition();
        this.requestedTrim = header.trimPosition();
    }

    long confirmedPosition() {
        return confirmedPosition;
    }

    long trimPosition() {
        return trimPosition;
    }

    /** End of the data forced to disk (callbacks of the last group may still be running). */
    long durablePosition() {
        return durablePosition;
    }

    /** How many group writes were forced so far (one per group commit). */
    long forces() {
        return forces;
    }

    long generation() {
        return header.generation();
    }

    void append(StreamRecordBatch batch, WalAppendCallback callback) {
        int frameSize = WalRecordFormat.frameSize(batch.sizeInBytes());
        if ((long) frameSize + WalRecordFormat.PAGE_SIZE > capacity) {
            callback.onComplete(null, new StreamException(StreamErrorCode.RECORD_TOO_LARGE,
                    "record of " + frameSize + " bytes does not fit a WAL of " + capacity + " bytes"));
            return;
        }
        enqueue(new Request(batch, callback, frameSize,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.appendTimeoutMs())));
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
        if (position > durablePosition) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "cannot trim to " + position + ", beyond the durable end " + durablePosition));
        }
        if (position <= trimPosition) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed || broken != null) {
                return CompletableFuture.failedFuture(unavailable("WAL closed"));
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

    @Override
    public void run() {
        List<Request> group = new ArrayList<>();
        List<Request> rejected = new ArrayList<>();
        while (true) {
            long trimTo = -1;
            boolean stop = false;
            String rejection = null;
            lock.lock();
            try {
                while (true) {
                    if (closed || broken != null) {
                        rejected.addAll(queue);
                        queue.clear();
                        queuedBytes = 0;
                        rejection = "WAL closed";
                        stop = true;
                        break;
                    }
                    if (requestedTrim > trimPosition) {
                        trimTo = requestedTrim;
                        break;
                    }
                    if (queue.isEmpty()) {
                        wakeup.await();
                        continue;
                    }
                    takeGroup(group);
                    if (!group.isEmpty()) {
                        break;
                    }
                    Request head = queue.peek();
                    long waitNs = head.deadlineNs() - System.nanoTime();
                    if (waitNs <= 0) {
                        rejected.addAll(queue);
                        queue.clear();
                        queuedBytes = 0;
                        rejection = "WAL full (" + (writePosition - trimPosition) + " of " + capacity
                                + " bytes not yet uploaded) for " + config.appendTimeoutMs() + " ms";
                        break;
                    }
                    wakeup.awaitNanos(waitNs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop = true;
            } finally {
                lock.unlock();
            }
            if (!rejected.isEmpty()) {
                if (!stop) {
                    LOG.warn("{}: failing {} queued appends", rejection, rejected.size());
                }
                failAll(rejected, unavailable(rejection));
                rejected.clear();
            }
            if (stop) {
                failTrimWaiters(unavailable("WAL closed"));
                return;
            }
            try {
                if (trimTo >= 0) {
                    applyTrim(trimTo);
                }
                if (!group.isEmpty()) {
                    writeGroup(group);
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("WAL write to {} failed; the WAL is now broken and rejects every append", file.path(), e);
                lock.lock();
                try {
                    broken = e;
                } finally {
                    lock.unlock();
                }
                failAll(group, new StreamException(StreamErrorCode.UNEXPECTED, "WAL write failed", e));
            }
            group.clear();
        }
    }

    /** Under the lock: moves the longest prefix of the queue that fits the ring and one group into {@code group}. */
    private void takeGroup(List<Request> group) {
        long groupEnd = writePosition;
        while (!queue.isEmpty()) {
            Request request = queue.peek();
            long newEnd = groupEnd + request.frameSize();
            if (request.batch() != null && alignUp(newEnd) - trimPosition > capacity) {
                return;
            }
            if (!group.isEmpty() && newEnd - writePosition > config.maxGroupBytes()) {
                return;
            }
            queue.poll();
            queuedBytes -= request.frameSize();
            group.add(request);
            groupEnd = newEnd;
        }
    }

    private void writeGroup(List<Request> group) throws IOException {
        int lastRecord = -1;
        long end = writePosition;
        for (int i = 0; i < group.size(); i++) {
            if (group.get(i).batch() != null) {
                lastRecord = i;
                end += group.get(i).frameSize();
            }
        }
        WalAppendResult[] results = new WalAppendResult[group.size()];
        if (lastRecord >= 0) {
            long start = alignDown(writePosition);
            long alignedEnd = alignUp(end);
            int total = (int) (alignedEnd - start);
            if (groupBuffer.capacity() < total || groupBuffer.capacity() > 4 * Math.max(total, config.maxGroupBytes())) {
                groupBuffer = ByteBuffer.allocate(Math.max(total, WalRecordFormat.PAGE_SIZE));
            }
            ByteBuffer buffer = groupBuffer.clear();
            buffer.put(prefix);
            long position = writePosition;
            for (int i = 0; i <= lastRecord; i++) {
                Request request = group.get(i);
                if (request.batch() == null) {
                    results[i] = new WalAppendResult(position, position);
                    continue;
                }
                int recordSize = request.frameSize() + (i == lastRecord ? (int) (alignedEnd - end) : 0);
                WalRecordFormat.encode(buffer, request.batch(), position, header.generation(), recordSize);
                results[i] = new WalAppendResult(position, position + recordSize);
                position += recordSize;
            }
            buffer.flip();
            file.write(start, buffer);
            file.force();
            forces++;
            writePosition = alignedEnd;
            durablePosition = alignedEnd;
            prefix = new byte[0];
        }
        for (int i = 0; i < group.size(); i++) {
            WalAppendResult result = results[i] != null ? results[i] : new WalAppendResult(writePosition, writePosition);
            if (group.get(i).batch() == null) {
                // A barrier: every record before it is durable and confirmed, so whoever waits on it sees them.
                confirmedPosition = result.position();
            }
            try {
                group.get(i).callback().onComplete(result, null);
            } catch (RuntimeException e) {
                LOG.error("WAL append callback failed", e);
            }
        }
        confirmedPosition = writePosition;
    }

    private void applyTrim(long position) throws IOException {
        WalHeader next = header.next(position, header.generation());
        file.writeHeader(next);
        header = next;
        List<TrimWaiter> done = new ArrayList<>();
        lock.lock();
        try {
            trimPosition = position;
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

    private void enqueue(Request request) {
        StreamException rejection = null;
        lock.lock();
        try {
            if (closed || broken != null) {
                rejection = unavailable(broken != null ? "WAL broken: " + broken : "WAL closed");
            } else if (queue.size() >= config.queueCapacity() || queuedBytes + request.frameSize() > config.maxQueuedBytes()) {
                rejection = unavailable("WAL queue full (" + queue.size() + " appends, " + queuedBytes + " bytes waiting)");
            } else {
                queue.add(request);
                queuedBytes += request.frameSize();
                wakeup.signal();
            }
        } finally {
            lock.unlock();
        }
        if (rejection != null) {
            request.callback().onComplete(null, rejection);
        }
    }

    private void failTrimWaiters(Throwable error) {
        List<TrimWaiter> waiters;
        lock.lock();
        try {
            waiters = new ArrayList<>(trimWaiters);
            trimWaiters.clear();
        } finally {
            lock.unlock();
        }
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
