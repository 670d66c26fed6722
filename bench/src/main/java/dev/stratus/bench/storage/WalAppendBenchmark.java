package dev.stratus.bench.storage;

import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.wal.FileWriteAheadLog;
import dev.stratus.storage.wal.WalConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Durable appends to the file WAL: each operation appends one batch and waits until it is
 * forced to disk, as a produce with acks=all does. Run with several threads to see group
 * commit at work (many appends per fsync); with one thread every append pays a full fsync.
 * A background trimmer keeps the ring from filling, as uploads would.
 */
@State(Scope.Benchmark)
public class WalAppendBenchmark {

    @Param({"128", "1024", "16384"})
    public int recordBytes;

    private Path dir;
    private FileWriteAheadLog wal;
    private ScheduledExecutorService trimmer;
    private ByteBuffer payload;
    private final AtomicLong nextOffset = new AtomicLong();

    @Setup(Level.Trial)
    public void open() throws IOException {
        // On the disk under test, never on a tmpfs: fsync there is free and the figures would lie.
        Path parent = Files.createDirectories(Path.of(System.getProperty("stratus.bench.dir", "bench/target")));
        dir = Files.createTempDirectory(parent, "wal-bench");
        wal = new FileWriteAheadLog(WalConfig.defaults(dir.resolve("wal.data")).withCapacity(512L << 20));
        wal.start();
        payload = ByteBuffer.allocate(recordBytes);
        trimmer = Executors.newSingleThreadScheduledExecutor();
        trimmer.scheduleWithFixedDelay(() -> wal.trim(wal.confirmedPosition()), 50, 50, TimeUnit.MILLISECONDS);
    }

    @Benchmark
    public long appendDurably() {
        long offset = nextOffset.getAndIncrement();
        return wal.append(new StreamRecordBatch(1, 0, offset, 1, payload)).join().endPosition();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        trimmer.shutdownNow();
        wal.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
