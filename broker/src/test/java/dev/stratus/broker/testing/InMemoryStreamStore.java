package dev.stratus.broker.testing;

import dev.stratus.storage.stream.FetchResult;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.stream.StreamStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-only {@link StreamStore} keeping batches in memory. Appends become durable on a single
 * "storage" thread, in order, like a WAL's group commit, so futures and confirm listeners run
 * off the caller's thread as with the real engine. Opening with an epoch fences older handles.
 */
public final class InMemoryStreamStore implements StreamStore {

    /** A stream's data, shared by every handle that opens it. */
    static final class StreamData {
        final long id;
        final NavigableMap<Long, StreamRecordBatch> batches = new ConcurrentSkipListMap<>();
        volatile long epoch = -1;
        volatile long startOffset;
        volatile long nextOffset;
        volatile long confirmedOffset;
        volatile boolean open;
        final AtomicLong fetchedBytes = new AtomicLong();

        StreamData(long id) {
            this.id = id;
        }
    }

    private final AtomicLong nextStreamId = new AtomicLong(1);
    private final Map<Long, StreamData> streams = new ConcurrentHashMap<>();
    private final ExecutorService storageThread = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "fake-storage");
        thread.setDaemon(true);
        return thread;
    });
    public final AtomicInteger closes = new AtomicInteger();
    public final AtomicInteger deletes = new AtomicInteger();

    @Override
    public CompletableFuture<Void> start() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Long> createStream() {
        long id = nextStreamId.getAndIncrement();
        streams.put(id, new StreamData(id));
        return CompletableFuture.completedFuture(id);
    }

    @Override
    public synchronized CompletableFuture<Stream> openStream(long streamId, long epoch) {
        // Stream ids come from the controller: a stream it created is opened here for the first time.
        StreamData data = streams.computeIfAbsent(streamId, StreamData::new);
        if (epoch < data.epoch) {
            return CompletableFuture.failedFuture(new StreamException(StreamErrorCode.FENCED, "epoch " + epoch + " < " + data.epoch));
        }
        data.epoch = epoch;
        data.open = true;
        return CompletableFuture.completedFuture(new Handle(data, epoch));
    }

    @Override
    public CompletableFuture<Void> deleteStream(long streamId, long epoch) {
        deletes.incrementAndGet();
        return streams.remove(streamId) != null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new StreamException(StreamErrorCode.STREAM_NOT_FOUND, "no stream " + streamId));
    }

    @Override
    public CompletableFuture<Void> uploadAll() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        storageThread.shutdown();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        storageThread.shutdownNow();
    }

    /** Every batch of a stream, for assertions. */
    public List<StreamRecordBatch> batches(long streamId) {
        StreamData data = streams.get(streamId);
        return data == null ? List.of() : new ArrayList<>(data.batches.values());
    }

    /** Bytes every fetch of a stream has returned so far, for assertions on how much an open reads. */
    public long fetchedBytes(long streamId) {
        StreamData data = streams.get(streamId);
        return data == null ? 0 : data.fetchedBytes.get();
    }

    /** Appends a raw record to a stream as its owner would, for tests that plant data (a corrupt checkpoint). */
    public void plant(long streamId, java.nio.ByteBuffer payload) {
        StreamData data = streams.computeIfAbsent(streamId, StreamData::new);
        long offset = data.nextOffset;
        data.batches.put(offset, new StreamRecordBatch(streamId, data.epoch, offset, 1, payload));
        data.nextOffset = offset + 1;
        data.confirmedOffset = data.nextOffset;
    }

    public boolean exists(long streamId) {
        return streams.containsKey(streamId);
    }

    private final class Handle implements Stream {
        private final StreamData data;
        private final long epoch;
        private final List<ConfirmListener> listeners = new CopyOnWriteArrayList<>();
        private volatile boolean closed;

        Handle(StreamData data, long epoch) {
            this.data = data;
            this.epoch = epoch;
        }

        @Override
        public long streamId() {
            return data.id;
        }

        @Override
        public long epoch() {
            return epoch;
        }

        @Override
        public long startOffset() {
            return data.startOffset;
        }

        @Override
        public long nextOffset() {
            return data.nextOffset;
        }

        @Override
        public long confirmedOffset() {
            return data.confirmedOffset;
        }

        @Override
        public CompletableFuture<Long> append(StreamRecordBatch batch) {
            if (closed) {
                return CompletableFuture.failedFuture(new StreamException(StreamErrorCode.STREAM_CLOSED, "closed"));
            }
            if (data.epoch != epoch) {
                return CompletableFuture.failedFuture(new StreamException(StreamErrorCode.FENCED, "fenced"));
            }
            if (batch.baseOffset() != data.nextOffset) {
                return CompletableFuture.failedFuture(new StreamException(StreamErrorCode.OFFSET_MISMATCH,
                        "base offset " + batch.baseOffset() + " != next offset " + data.nextOffset));
            }
            data.batches.put(batch.baseOffset(), batch);
            data.nextOffset = batch.nextOffset();
            CompletableFuture<Long> durable = new CompletableFuture<>();
            storageThread.execute(() -> {
                data.confirmedOffset = Math.max(data.confirmedOffset, batch.nextOffset());
                durable.complete(batch.baseOffset());
                for (ConfirmListener listener : listeners) {
                    listener.confirmed(data.id, data.confirmedOffset);
                }
            });
            return durable;
        }

        @Override
        public CompletableFuture<FetchResult> fetch(long startOffset, long endOffset, int maxBytes) {
            if (startOffset < data.startOffset || startOffset > data.nextOffset) {
                return CompletableFuture.failedFuture(new StreamException(StreamErrorCode.OFFSET_OUT_OF_RANGE,
                        startOffset + " outside [" + data.startOffset + ", " + data.nextOffset + "]"));
            }
            long confirmed = data.confirmedOffset;
            long end = Math.min(endOffset, confirmed);
            List<StreamRecordBatch> out = new ArrayList<>();
            int size = 0;
            Long floor = data.batches.floorKey(startOffset);
            for (StreamRecordBatch batch : data.batches.tailMap(floor == null ? startOffset : floor, true).values()) {
                if (batch.baseOffset() >= end || !out.isEmpty() && size + batch.sizeInBytes() > maxBytes) {
                    break;
                }
                if (batch.nextOffset() <= startOffset) {
                    continue;
                }
                out.add(batch);
                size += batch.sizeInBytes();
            }
            data.fetchedBytes.addAndGet(size);
            return CompletableFuture.completedFuture(new FetchResult(out, data.startOffset, confirmed));
        }

        @Override
        public CompletableFuture<Void> trim(long newStartOffset) {
            data.startOffset = Math.max(data.startOffset, newStartOffset);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onConfirm(ConfirmListener listener) {
            listeners.add(listener);
        }

        @Override
        public CompletableFuture<Void> close() {
            closed = true;
            data.open = false;
            closes.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }
    }
}
