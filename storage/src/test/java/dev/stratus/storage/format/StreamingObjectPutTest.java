package dev.stratus.storage.format;

import dev.stratus.storage.objects.MemoryObjectStorage;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.objects.ObjectStorageStats;
import dev.stratus.storage.objects.ObjectWriter;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.testing.ForwardingObjectStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Specs of encoding an object while writing it: same bytes as the whole object, bounded pieces, abort on failure. */
class StreamingObjectPutTest {

    private static final int BLOCK_BYTES = 64 * 1024;

    private final MemoryObjectStorage memory = new MemoryObjectStorage();
    private final RecordingStorage storage = new RecordingStorage(memory);
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static List<StreamRecordBatch> batches(int streams, int perStream, int payloadBytes) {
        List<StreamRecordBatch> batches = new ArrayList<>();
        for (long stream = 1; stream <= streams; stream++) {
            for (int i = 0; i < perStream; i++) {
                byte[] payload = new byte[payloadBytes];
                for (int b = 0; b < payloadBytes; b++) {
                    payload[b] = (byte) (stream * 7 + i * 13 + b);
                }
                batches.add(new StreamRecordBatch(stream, 2, i * 10L, 10, ByteBuffer.wrap(payload)));
            }
        }
        return batches;
    }

    private static ByteBuffer wholeObject(long objectId, List<StreamRecordBatch> batches) {
        StreamSetObjectWriter writer = new StreamSetObjectWriter(objectId, BLOCK_BYTES);
        batches.forEach(writer::add);
        return writer.finish();
    }

    private ByteBuffer stored(String key) {
        long size = memory.size(key).join();
        return memory.rangeRead(key, 0, size).join();
    }

    @Test
    void aStreamedObjectIsByteForByteTheObjectEncodedWhole() throws Exception {
        List<StreamRecordBatch> batches = batches(5, 60, 10_000);

        long size = StreamingObjectPut.run(storage, "o/7", new StreamSetObjectWriter(7, BLOCK_BYTES), batches, executor)
                .get(10, TimeUnit.SECONDS);

        ByteBuffer expected = wholeObject(7, batches);
        assertThat(size).isEqualTo(expected.remaining());
        assertThat(stored("o/7")).isEqualTo(expected);
    }

    @Test
    void theWriterIsHandedAboutOnePieceAtATimeNeverTheWholeObject() throws Exception {
        List<StreamRecordBatch> batches = batches(3, 200, 20_000);

        long size = StreamingObjectPut.run(storage, "o/8", new StreamSetObjectWriter(8, BLOCK_BYTES), batches, executor)
                .get(10, TimeUnit.SECONDS);

        assertThat(size).isGreaterThan(10L * StreamingObjectPut.PIECE_BYTES);
        assertThat(storage.writes).hasSizeGreaterThan(10);
        assertThat(storage.largestWrite).isLessThanOrEqualTo(StreamingObjectPut.PIECE_BYTES + BLOCK_BYTES + 64 * 1024);
    }

    @Test
    void aBlockingPutOnTheCallingThreadWritesTheSameObject() {
        List<StreamRecordBatch> batches = batches(1, 300, 9_000);

        long size = StreamingObjectPut.runBlocking(storage, "o/9", new StreamObjectWriter(9, 1, BLOCK_BYTES), batches);

        StreamObjectWriter whole = new StreamObjectWriter(9, 1, BLOCK_BYTES);
        batches.forEach(whole::add);
        ByteBuffer expected = whole.finish();
        assertThat(size).isEqualTo(expected.remaining());
        assertThat(stored("o/9")).isEqualTo(expected);
    }

    @Test
    void aFailedWriteAbortsTheObjectAndFailsThePutWithTheCause() {
        storage.failWriteNumber = 3;

        CompletableFuture<Long> put = StreamingObjectPut.run(storage, "o/10", new StreamSetObjectWriter(10, BLOCK_BYTES),
                batches(2, 200, 20_000), executor);

        assertThatThrownBy(() -> put.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class);
        assertThat(storage.aborted).isTrue();
        assertThat(memory.list("o/").join()).isEmpty();
    }

    @Test
    void aFailedBlockingWriteAbortsTheObjectAndThrows() {
        storage.failWriteNumber = 2;

        assertThatThrownBy(() -> StreamingObjectPut.runBlocking(storage, "o/11", new StreamSetObjectWriter(11, BLOCK_BYTES),
                batches(2, 200, 20_000))).hasRootCauseInstanceOf(IOException.class);
        assertThat(storage.aborted).isTrue();
        assertThat(memory.list("o/").join()).isEmpty();
    }

    /** A store whose writer records each write's size, may fail one write, and writes the object whole at completion. */
    private static final class RecordingStorage extends ForwardingObjectStorage {
        final List<Long> writes = new ArrayList<>();
        long largestWrite;
        int failWriteNumber = -1;
        volatile boolean aborted;

        RecordingStorage(ObjectStorage delegate) {
            super(delegate);
        }

        @Override
        public ObjectWriter writer(String key) {
            ObjectWriter buffered = super.writer(key);
            return new ObjectWriter() {
                @Override
                public CompletableFuture<Void> write(List<ByteBuffer> pieces) {
                    long bytes = pieces.stream().mapToLong(ByteBuffer::remaining).sum();
                    synchronized (RecordingStorage.this) {
                        writes.add(bytes);
                        largestWrite = Math.max(largestWrite, bytes);
                        if (writes.size() == failWriteNumber) {
                            return CompletableFuture.failedFuture(new IOException("disk on fire"));
                        }
                    }
                    // Acknowledge from another thread, as a real store does.
                    return buffered.write(pieces).thenApplyAsync(v -> v);
                }

                @Override
                public CompletableFuture<Void> complete() {
                    return buffered.complete();
                }

                @Override
                public CompletableFuture<Void> abort() {
                    aborted = true;
                    return buffered.abort();
                }

                @Override
                public long bytesWritten() {
                    return buffered.bytesWritten();
                }

                @Override
                public long maxBufferedBytes() {
                    return buffered.maxBufferedBytes();
                }
            };
        }

    }
}
