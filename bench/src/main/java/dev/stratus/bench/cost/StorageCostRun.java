package dev.stratus.bench.cost;

import dev.stratus.storage.compaction.RoundReport;
import dev.stratus.storage.engine.StorageConfig;
import dev.stratus.storage.engine.StreamStorageEngine;
import dev.stratus.storage.metadata.InMemoryStreamMetadataStore;
import dev.stratus.storage.objects.ObjectStorageStats;
import dev.stratus.storage.objects.ObjectStorageStats.CallType;
import dev.stratus.storage.objects.s3.S3ObjectStorage;
import dev.stratus.storage.stream.FetchResult;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.testing.S3ProxyFixture;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * What the storage engine costs in object storage requests, measured end to end: writes
 * {@code stratus.cost.bytes} (default 1 GiB) of producer-sized batches over 16 streams
 * through the file WAL and the upload pipeline into s3proxy, reads everything back from
 * objects (a consumer catching up), compacts, and reads again. Prints the PUT/GET/LIST/DELETE
 * counts per GiB written and read at each stage, and the catch-up read throughput. Set
 * {@code stratus.cost.upload.threshold.bytes} low to see compaction merge many small objects.
 *
 * <p>Run: {@code bench/run-cost.sh} (see docs/benchmarks.md). One thread drives every stream,
 * which the Stream API allows (one appender at a time per stream).
 */
public final class StorageCostRun {

    private static final int STREAMS = 16;
    private static final long GIB = 1L << 30;

    private StorageCostRun() {
    }

    public static void main(String[] args) throws Exception {
        long totalBytes = Long.getLong("stratus.cost.bytes", GIB);
        int batchBytes = Integer.getInteger("stratus.cost.batch.bytes", 64 * 1024);
        Path dir = Files.createDirectories(Path.of(System.getProperty("stratus.bench.dir", "bench/target")))
                .resolve("cost-run-" + System.nanoTime());
        Clock clock = Clock.systemUTC();
        try (S3ProxyFixture s3 = new S3ProxyFixture().start();
             S3ObjectStorage storage = S3ObjectStorage.open(s3.config(s3.createBucket()))) {
            InMemoryStreamMetadataStore metadata = new InMemoryStreamMetadataStore(clock);
            // Compaction only on request and deletion without grace, so each stage is measured alone.
            StorageConfig defaults = StorageConfig.defaults(dir.resolve("wal.data"));
            long uploadThreshold = Long.getLong("stratus.cost.upload.threshold.bytes", defaults.uploadThresholdBytes());
            StorageConfig config = new StorageConfig(defaults.walPath(), defaults.walCapacityBytes(),
                    defaults.walAppendTimeoutMs(), uploadThreshold, defaults.uploadIntervalMs(), defaults.logCacheBytes(),
                    defaults.maxRecordBytes())
                    .withCompactionIntervalMs(0)
                    .withObjectDeletionGraceMs(0);
            StreamStorageEngine engine = new StreamStorageEngine(config, storage, metadata, clock);
            engine.start().join();
            ObjectStorageStats stats = storage.stats();

            List<Stream> streams = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                streams.add(engine.openStream(engine.createStream().join(), 0).join());
            }
            Map<CallType, Long> start = snapshot(stats);
            long writeStartNs = System.nanoTime();
            long written = write(streams, totalBytes, batchBytes);
            engine.uploadAll().join();
            double writeSeconds = (System.nanoTime() - writeStartNs) / 1e9;
            Map<CallType, Long> afterWrite = snapshot(stats);
            int objectsAfterWrite = metadata.listObjects().join().size();

            long readStartNs = System.nanoTime();
            long read = readAll(streams);
            double readSeconds = (System.nanoTime() - readStartNs) / 1e9;
            Map<CallType, Long> afterRead = snapshot(stats);

            int rounds = 0;
            RoundReport report;
            do {
                report = engine.compaction().runOnce().join();
                rounds++;
            } while (report.tasks() > 0 && rounds < 20);
            engine.compaction().runOnce().join(); // deletes what the last round replaced
            Map<CallType, Long> afterCompaction = snapshot(stats);
            int objectsAfterCompaction = metadata.listObjects().join().size();

            long reReadStartNs = System.nanoTime();
            long reRead = readAll(streams);
            double reReadSeconds = (System.nanoTime() - reReadStartNs) / 1e9;
            Map<CallType, Long> afterReRead = snapshot(stats);

            engine.shutdown().join();

            System.out.printf("%nStratus storage cost run: %.2f GiB written in %d-byte batches over %d streams to s3proxy,"
                    + " upload threshold %d MiB%n", (double) written / GIB, batchBytes, STREAMS, uploadThreshold >> 20);
            System.out.printf("write: %.1f MiB/s (WAL fsync + upload), %d objects%n",
                    written / writeSeconds / (1 << 20), objectsAfterWrite);
            System.out.printf("catch-up read from objects: %.1f MiB/s before compaction, %.1f MiB/s after%n",
                    read / readSeconds / (1 << 20), reRead / reReadSeconds / (1 << 20));
            System.out.printf("compaction: %d rounds, objects %d -> %d%n", rounds, objectsAfterWrite, objectsAfterCompaction);
            System.out.printf("%n| stage | PUT | GET | HEAD | LIST | DELETE | per |%n|---|---|---|---|---|---|---|%n");
            row("write (upload)", start, afterWrite, written);
            row("read before compaction", afterWrite, afterRead, read);
            row("compaction + deletion", afterRead, afterCompaction, written);
            row("read after compaction", afterCompaction, afterReRead, reRead);
            long putsPerGib = Math.round((afterWrite.get(CallType.PUT) - start.get(CallType.PUT)) * (double) GIB / written);
            System.out.printf("%nMiB ingested per PUT: %.1f (goal: at least 8)%n",
                    (double) written / (1 << 20) / Math.max(1, afterWrite.get(CallType.PUT) - start.get(CallType.PUT)));
            System.out.printf("PUTs per GiB written: %d%n", putsPerGib);
        }
    }

    private static long write(List<Stream> streams, long totalBytes, int batchBytes) throws InterruptedException {
        Random random = new Random(7);
        byte[] payload = new byte[batchBytes];
        random.nextBytes(payload);
        ByteBuffer shared = ByteBuffer.wrap(payload);
        Semaphore inFlight = new Semaphore(512);
        long written = 0;
        int next = 0;
        List<CompletableFuture<Long>> tail = new ArrayList<>();
        while (written < totalBytes) {
            Stream stream = streams.get(next++ % streams.size());
            inFlight.acquire();
            // 100 records per batch, the size of a busy producer's batch.
            CompletableFuture<Long> append = stream.append(new StreamRecordBatch(stream.streamId(), stream.epoch(),
                    stream.nextOffset(), 100, shared));
            append.whenComplete((offset, error) -> inFlight.release());
            tail.add(append);
            if (tail.size() > 1024) {
                tail.remove(0).join();
            }
            written += batchBytes;
        }
        tail.forEach(CompletableFuture::join);
        return written;
    }

    private static long readAll(List<Stream> streams) {
        long read = 0;
        for (Stream stream : streams) {
            long offset = stream.startOffset();
            while (offset < stream.confirmedOffset()) {
                FetchResult result = stream.fetch(offset, stream.confirmedOffset(), 1 << 20).join();
                for (StreamRecordBatch batch : result.batches()) {
                    read += batch.sizeInBytes();
                    offset = batch.nextOffset();
                }
            }
        }
        return read;
    }

    private static Map<CallType, Long> snapshot(ObjectStorageStats stats) {
        Map<CallType, Long> calls = new EnumMap<>(CallType.class);
        for (CallType type : CallType.values()) {
            calls.put(type, stats.calls(type));
        }
        return calls;
    }

    private static void row(String stage, Map<CallType, Long> before, Map<CallType, Long> after, long bytes) {
        StringBuilder line = new StringBuilder("| ").append(stage).append(" |");
        for (CallType type : List.of(CallType.PUT, CallType.GET, CallType.HEAD, CallType.LIST, CallType.DELETE)) {
            double perGib = (after.get(type) - before.get(type)) * (double) GIB / Math.max(1, bytes);
            line.append(String.format(" %.1f |", perGib));
        }
        System.out.println(line.append(" GiB |"));
    }
}
