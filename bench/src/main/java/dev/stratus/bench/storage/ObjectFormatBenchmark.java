package dev.stratus.bench.storage;

import dev.stratus.storage.format.ObjectIndexCache;
import dev.stratus.storage.format.ObjectReader;
import dev.stratus.storage.format.StreamSetObjectWriter;
import dev.stratus.storage.objects.MemoryObjectStorage;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.stream.StreamRecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encoding and decoding a stream set object of 16 MiB (batches of {@code batchBytes} over 8
 * streams, as an upload packs them). Decoding reads every stream back through
 * {@link ObjectReader} from in-memory object storage with a cold index cache: footer, index,
 * then every data block with its CRC checked. Divide 16 MiB by the time per operation for
 * throughput.
 */
@State(Scope.Benchmark)
public class ObjectFormatBenchmark {

    private static final int STREAMS = 8;
    private static final int OBJECT_BYTES = 16 << 20;

    @Param({"1024", "65536"})
    public int batchBytes;

    private List<StreamRecordBatch> batches;
    private MemoryObjectStorage storage;
    private long objectSize;

    @Setup(Level.Trial)
    public void prepare() {
        Random random = new Random(42);
        batches = new ArrayList<>();
        int perStream = OBJECT_BYTES / STREAMS / batchBytes;
        for (int stream = 0; stream < STREAMS; stream++) {
            for (int i = 0; i < perStream; i++) {
                byte[] payload = new byte[batchBytes];
                random.nextBytes(payload);
                batches.add(new StreamRecordBatch(stream, 0, i * 10L, 10, ByteBuffer.wrap(payload)));
            }
        }
        storage = new MemoryObjectStorage();
        ByteBuffer object = encode();
        objectSize = object.remaining();
        storage.put(ObjectKeys.objectKey(1), object).join();
    }

    @Benchmark
    public ByteBuffer encode() {
        StreamSetObjectWriter writer = new StreamSetObjectWriter(1);
        batches.forEach(writer::add);
        return writer.finish();
    }

    @Benchmark
    public void decode(Blackhole blackhole) {
        ObjectReader reader = new ObjectReader(storage, new ObjectIndexCache(16));
        for (int stream = 0; stream < STREAMS; stream++) {
            blackhole.consume(reader.read(1, objectSize, stream, 0, Long.MAX_VALUE, Integer.MAX_VALUE).join());
        }
    }
}
