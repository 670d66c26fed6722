package dev.stratus.bench.storage;

import dev.stratus.storage.engine.StorageConfig;
import dev.stratus.storage.engine.StreamStorageEngine;
import dev.stratus.storage.metadata.InMemoryStreamMetadataStore;
import dev.stratus.storage.objects.ObjectStorageStats.CallType;
import dev.stratus.storage.objects.s3.S3ObjectStorage;
import dev.stratus.storage.stream.FetchResult;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.testing.S3ProxyFixture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Catch-up reads of a backlog in object storage: a consumer far behind fetches a stream from its
 * start, 1 MiB per fetch, through the engine's catch-up reader (object index, block cache,
 * read-ahead, catch-up read threads) from s3proxy over the S3 client, with read-ahead
 * ({@code readAhead}) on (the default window of up to 4 MiB) or off. The setup writes
 * {@code backlogMiBPerStream} MiB to each of 4 streams through the file WAL and uploads it; the
 * log cache is off so every fetch goes to objects. Each operation is one fetch; the reader moves
 * to the next stream when one ends, and the block cache (16 MiB) is smaller than a stream, so the
 * start of each stream is always cold. Besides fetches per second, the counters report bytes read
 * and GET requests per second.
 *
 * <p>s3proxy runs in the benchmark's JVM on the same cores: figures include its work, and compare
 * read-ahead on and off, not Stratus against real S3. One thread (one consumer); see
 * docs/benchmarks.md for the command.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class CatchUpReadBenchmark {

    private static final int STREAMS = 4;
    private static final int FETCH_BYTES = 1 << 20;
    private static final long BLOCK_CACHE_BYTES = 16L << 20;

    @Param({"off", "on"})
    public String readAhead;

    @Param({"32"})
    public int backlogMiBPerStream;

    @Param({"16384"})
    public int batchBytes;

    private Path dir;
    private S3ProxyFixture s3;
    private S3ObjectStorage storage;
    private StreamStorageEngine engine;
    private final List<Stream> streams = new ArrayList<>();
    private int current;
    private long nextOffset;

    /** Bytes and GET requests per second, next to fetches per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class ReadCounters {
        public long bytesRead;
        public long getRequests;

        @Setup(Level.Iteration)
        public void reset() {
            bytesRead = 0;
            getRequests = 0;
        }
    }

    @Setup(Level.Trial)
    public void writeBacklog() throws Exception {
        Path parent = Files.createDirectories(Path.of(System.getProperty("stratus.bench.dir", "bench/target")));
        dir = Files.createTempDirectory(parent, "catch-up-bench");
        s3 = new S3ProxyFixture().start();
        storage = S3ObjectStorage.open(s3.config(s3.createBucket()));
        long readAheadBytes = switch (readAhead) {
            case "on" -> StorageConfig.DEFAULT_READ_AHEAD_MAX_BYTES;
            case "off" -> 0;
            default -> throw new IllegalArgumentException("readAhead is on or off, not " + readAhead);
        };
        StorageConfig config = new StorageConfig(dir.resolve("wal.data"), 512L << 20,
                StorageConfig.DEFAULT_WAL_APPEND_TIMEOUT_MS, StorageConfig.DEFAULT_UPLOAD_THRESHOLD_BYTES,
                StorageConfig.DEFAULT_UPLOAD_INTERVAL_MS, 0, StorageConfig.DEFAULT_MAX_RECORD_BYTES)
                .withCompactionIntervalMs(0)
                .withReads(BLOCK_CACHE_BYTES, readAheadBytes, StorageConfig.DEFAULT_CATCH_UP_READ_THREADS,
                        StorageConfig.DEFAULT_CATCH_UP_READ_QUEUE);
        Clock clock = Clock.systemUTC();
        engine = new StreamStorageEngine(config, storage, new InMemoryStreamMetadataStore(clock), clock);
        engine.start().join();
        for (int i = 0; i < STREAMS; i++) {
            streams.add(engine.openStream(engine.createStream().join(), 0).join());
        }
        append((long) backlogMiBPerStream << 20);
        engine.uploadAll().join();
    }

    /** Appends {@code bytesPerStream} to every stream, round robin, with a bounded number of appends in flight. */
    private void append(long bytesPerStream) throws InterruptedException {
        byte[] payload = new byte[batchBytes];
        new Random(3).nextBytes(payload);
        ByteBuffer shared = ByteBuffer.wrap(payload);
        Semaphore inFlight = new Semaphore(256);
        List<CompletableFuture<Long>> appends = new ArrayList<>();
        for (long written = 0; written < bytesPerStream; written += batchBytes) {
            for (Stream stream : streams) {
                inFlight.acquire();
                CompletableFuture<Long> append = stream.append(new StreamRecordBatch(stream.streamId(), stream.epoch(),
                        stream.nextOffset(), 20, shared));
                append.whenComplete((offset, error) -> inFlight.release());
                appends.add(append);
            }
        }
        appends.forEach(CompletableFuture::join);
    }

    @Benchmark
    public int fetch(ReadCounters counters) {
        Stream stream = streams.get(current);
        long getsBefore = storage.stats().calls(CallType.GET);
        FetchResult result = stream.fetch(nextOffset, Long.MAX_VALUE, FETCH_BYTES).join();
        int bytes = 0;
        for (StreamRecordBatch batch : result.batches()) {
            bytes += batch.sizeInBytes();
            nextOffset = batch.nextOffset();
        }
        counters.bytesRead += bytes;
        counters.getRequests += storage.stats().calls(CallType.GET) - getsBefore;
        if (result.batches().isEmpty() || nextOffset >= stream.confirmedOffset()) {
            current = (current + 1) % streams.size();
            nextOffset = 0;
        }
        return bytes;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        if (engine != null) {
            engine.close();
        }
        if (storage != null) {
            storage.close();
        }
        if (s3 != null) {
            s3.close();
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
