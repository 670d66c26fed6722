package dev.stratus.storage.engine;

import dev.stratus.storage.metadata.InMemoryStreamMetadataStore;
import dev.stratus.storage.metadata.MarkedObject;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.objects.MemoryObjectStorage;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.stream.FetchResult;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Randomized model test of the storage engine: random interleavings of append, fetch, trim,
 * upload (of everything, or of one stream), compaction (with time passing, so replaced objects
 * get deleted) and restart (crash: {@code close()} without upload; graceful: {@code shutdown()})
 * over memory object storage, the in-memory metadata store and a file WAL must keep every
 * stream's content equal to a plain list of the acknowledged batches. Each run replays fixed
 * seeds and one fresh random seed. Every seed is printed; rerun one with
 * {@code -Dstratus.model.seed=<seed>} (which replaces both the fixed and the fresh seeds), and
 * add {@code -Dstratus.model.steps=<n>} for longer runs.
 */
class StorageModelTest {

    private static final long[] FIXED_SEEDS = {1, 7, 42, 20240601};
    private static final int DEFAULT_STEPS = 300;
    private static final int STREAMS = 3;
    private static final String SEED_PROPERTY = "stratus.model.seed";

    @TempDir
    Path dir;

    @Test
    void randomInterleavingsKeepEveryStreamEqualToTheModel() {
        Long only = Long.getLong(SEED_PROPERTY);
        for (long seed : only != null ? new long[] {only} : FIXED_SEEDS) {
            replay(seed);
        }
    }

    @Test
    void aFreshSeedEachRunKeepsEveryStreamEqualToTheModel() {
        assumeTrue(System.getProperty(SEED_PROPERTY) == null, "a given seed replaces the fresh one");
        replay(ThreadLocalRandom.current().nextLong());
    }

    private void replay(long seed) {
        int steps = Integer.getInteger("stratus.model.steps", DEFAULT_STEPS);
        System.out.println("StorageModelTest seed " + seed + " (" + steps + " steps; rerun with -D" + SEED_PROPERTY + "=" + seed + ")");
        try (Run run = new Run(seed, dir.resolve("seed-" + seed))) {
            run.steps(steps);
        } catch (Throwable t) {
            throw new AssertionError("model test failed with seed " + seed + " (rerun with -D" + SEED_PROPERTY + "=" + seed
                    + "): " + t, t);
        }
    }

    /** What one stream must hold: the acknowledged batches and the trim point. */
    private static final class StreamModel {
        final long streamId;
        final List<StreamRecordBatch> batches = new ArrayList<>();
        long startOffset;

        StreamModel(long streamId) {
            this.streamId = streamId;
        }

        long endOffset() {
            return batches.isEmpty() ? 0 : batches.get(batches.size() - 1).nextOffset();
        }

        /** Index of the batch holding {@code offset}. */
        int indexOf(long offset) {
            int low = 0;
            int high = batches.size() - 1;
            while (low < high) {
                int mid = (low + high + 1) >>> 1;
                if (batches.get(mid).baseOffset() <= offset) {
                    low = mid;
                } else {
                    high = mid - 1;
                }
            }
            return low;
        }
    }

    /** One seeded run: the engine under test, its model, and the operations. */
    private static final class Run implements AutoCloseable {
        private final long seed;
        private final Random random;
        private final Path walDir;
        private final ManualClock clock = new ManualClock(1_000_000);
        private final InMemoryStreamMetadataStore metadata = new InMemoryStreamMetadataStore(clock);
        private final MemoryObjectStorage objects = new MemoryObjectStorage();
        private final List<StreamModel> models = new ArrayList<>();
        private final List<Stream> streams = new ArrayList<>();
        private StreamStorageEngine engine;
        private long epoch;
        private String lastOperation = "start";

        Run(long seed, Path walDir) {
            this.seed = seed;
            this.random = new Random(seed);
            this.walDir = walDir;
            startEngine();
            for (int i = 0; i < STREAMS; i++) {
                long id = engine.createStream().join();
                models.add(new StreamModel(id));
                streams.add(engine.openStream(id, epoch).join());
            }
        }

        private StorageConfig config() {
            return new StorageConfig(walDir.resolve("wal"), 8L * 1024 * 1024, 5_000, 64L * 1024 * 1024, 3_600_000,
                    random.nextBoolean() ? 0 : 16 * 1024, 64 * 1024)
                    .withStreamObjectSplitBytes(12 * 1024)
                    .withCompactionIntervalMs(0)
                    .withCompactionMaxBytesPerSec(Long.MAX_VALUE / 4)
                    .withCompactionMaxObjectBytes(64 * 1024)
                    .withObjectDeletionGraceMs(1_000)
                    .withObjectPrepareTtlMs(5_000);
        }

        private void startEngine() {
            engine = new StreamStorageEngine(config(), objects, metadata, clock);
            engine.start().join();
        }

        void steps(int count) {
            for (int step = 0; step < count; step++) {
                int dice = random.nextInt(100);
                StreamModel model = models.get(random.nextInt(models.size()));
                if (dice < 40) {
                    append(model);
                } else if (dice < 60) {
                    fetch(model);
                } else if (dice < 66) {
                    trim(model);
                } else if (dice < 72) {
                    lastOperation = "upload";
                    engine.uploadAll().join();
                } else if (dice < 76) {
                    lastOperation = "upload stream " + model.streamId;
                    engine.uploadStream(model.streamId).join();
                } else if (dice < 86) {
                    compact();
                } else if (dice < 90) {
                    restart(false);
                } else if (dice < 93) {
                    restart(true);
                } else {
                    lastOperation = "check all";
                    checkAll();
                }
                if (step % 50 == 49) {
                    checkAll();
                }
            }
            checkAll();
            lastOperation = "final compaction";
            for (int i = 0; i < 3; i++) {
                engine.compaction().runOnce().join();
                clock.advance(2_000);
            }
            checkAll();
            checkNoStrayObjects();
        }

        private Stream stream(StreamModel model) {
            return streams.get(models.indexOf(model));
        }

        private void append(StreamModel model) {
            Stream stream = stream(model);
            int batches = 1 + random.nextInt(4);
            lastOperation = "append " + batches + " batches to stream " + model.streamId;
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < batches; i++) {
                byte[] payload = new byte[1 + random.nextInt(random.nextInt(10) == 0 ? 8_000 : 1_500)];
                random.nextBytes(payload);
                StreamRecordBatch batch = new StreamRecordBatch(model.streamId, stream.epoch(), stream.nextOffset(),
                        1 + random.nextInt(5), ByteBuffer.wrap(payload));
                futures.add(stream.append(batch));
                model.batches.add(batch);
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        }

        private void fetch(StreamModel model) {
            long end = model.endOffset();
            if (end == model.startOffset) {
                return;
            }
            long from = model.startOffset + (long) (random.nextDouble() * (end - model.startOffset));
            int maxBytes = 1 + random.nextInt(20_000);
            lastOperation = "fetch stream " + model.streamId + " from " + from + " max " + maxBytes + " bytes";
            FetchResult result = stream(model).fetch(from, Long.MAX_VALUE, maxBytes).join();
            assertThat(result.batches()).as(lastOperation).isNotEmpty();
            int index = model.indexOf(from);
            for (StreamRecordBatch batch : result.batches()) {
                assertThat(batch).as(lastOperation).isEqualTo(model.batches.get(index++));
            }
            assertThat(result.confirmedOffset()).as(lastOperation).isEqualTo(end);
            if (model.startOffset > 0) {
                assertThatThrownBy(() -> stream(model).fetch(model.startOffset - 1, end, 1000).join())
                        .as(lastOperation + " below the start").isInstanceOf(CompletionException.class).cause()
                        .isInstanceOf(StreamException.class).extracting(e -> ((StreamException) e).code())
                        .isEqualTo(StreamErrorCode.OFFSET_OUT_OF_RANGE);
            }
        }

        private void trim(StreamModel model) {
            long end = model.endOffset();
            long to = model.startOffset + (long) (random.nextDouble() * (end - model.startOffset + 1));
            lastOperation = "trim stream " + model.streamId + " to " + to;
            stream(model).trim(to).join();
            model.startOffset = Math.max(model.startOffset, to);
        }

        private void compact() {
            lastOperation = "compaction";
            engine.compaction().runOnce().join();
            clock.advance(random.nextInt(1_500));
        }

        private void restart(boolean graceful) {
            lastOperation = graceful ? "graceful restart" : "crash restart";
            if (graceful) {
                engine.shutdown().join();
            } else {
                engine.close();
            }
            startEngine();
            epoch++;
            streams.clear();
            for (StreamModel model : models) {
                Stream stream = engine.openStream(model.streamId, epoch).join();
                assertThat(stream.startOffset()).as(lastOperation + ": start of stream " + model.streamId).isEqualTo(model.startOffset);
                assertThat(stream.confirmedOffset()).as(lastOperation + ": end of stream " + model.streamId).isEqualTo(model.endOffset());
                streams.add(stream);
            }
        }

        private void checkAll() {
            for (StreamModel model : models) {
                List<StreamRecordBatch> read = new ArrayList<>();
                long next = model.startOffset;
                while (next < model.endOffset()) {
                    FetchResult result = stream(model).fetch(next, Long.MAX_VALUE, 16 * 1024).join();
                    assertThat(result.batches()).as("read of stream %d at %d after %s", model.streamId, next, lastOperation)
                            .isNotEmpty();
                    read.addAll(result.batches());
                    next = result.batches().get(result.batches().size() - 1).nextOffset();
                }
                List<StreamRecordBatch> expected = model.batches.isEmpty() || model.startOffset >= model.endOffset()
                        ? List.of() : model.batches.subList(model.indexOf(model.startOffset), model.batches.size());
                assertThat(read).as("stream %d after %s", model.streamId, lastOperation).containsExactlyElementsOf(expected);
            }
        }

        /** Every key in object storage is a committed or marked object, and committed ones exist. */
        private void checkNoStrayObjects() {
            Set<Long> known = new HashSet<>();
            metadata.listObjects().join().stream().map(ObjectMetadata::objectId).forEach(known::add);
            Set<Long> live = new HashSet<>(known);
            metadata.markedObjects().join().stream().map(MarkedObject::objectId).forEach(known::add);
            Set<Long> stored = new HashSet<>();
            objects.list(ObjectKeys.OBJECTS_PREFIX).join().forEach(key -> stored.add(ObjectKeys.objectId(key)));
            assertThat(known).as("objects known to metadata").containsAll(stored);
            assertThat(stored).as("committed objects in storage").containsAll(live);
        }

        @Override
        public void close() {
            if (engine != null) {
                engine.close();
            }
        }
    }
}
