package dev.stratus.storage.wal;

import dev.stratus.storage.objects.MemoryObjectStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

import static dev.stratus.storage.wal.WalTestSupport.batch;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the object WAL's writer seals objects, driven without its thread: the test thread runs
 * one duty cycle per millisecond of a manual clock, as the writer thread would, and notes the
 * clock time of every PUT and acknowledgement. Times are milliseconds since the writer opened.
 */
class ObjectWalWriterAgentTest {

    private static final int NODE = 7;
    private static final long NONCE = 42;
    private static final long INTERVAL_MS = 250;
    private static final long STOPPED_MS = ObjectWalWriterAgent.APPENDS_STOPPED_MS;

    /** One append: when it arrived and when it was acknowledged (-1 while it was not). */
    private static final class Append {
        final long arrivedMs;
        long acknowledgedMs = -1;
        WalAppendResult result;

        Append(long arrivedMs) {
            this.arrivedMs = arrivedMs;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final ControlledObjectStorage storage = new ControlledObjectStorage(new MemoryObjectStorage());
    private final List<Long> putTimesMs = new ArrayList<>();
    private ObjectWalWriterAgent writer;
    private long startMs;
    private int putsSeen;

    @BeforeEach
    void open() {
        ObjectWalConfig config = ObjectWalConfig.defaults(NODE).withBatching(INTERVAL_MS, 1024 * 1024);
        ObjectWalRecovery recovery = new ObjectWalRecoverer(storage, NODE, NODE, NONCE, config.minRetryBackoffMs(),
                config.maxRetryBackoffMs()).recover();
        writer = new ObjectWalWriterAgent(storage, config, clock, NONCE, recovery, new ConcurrentSkipListMap<>());
        startMs = clock.millis();
        putsSeen = storage.conditionalPuts(); // the recovery's fence
    }

    @AfterEach
    void close() {
        writer.close();
        writer.doWork();
        storage.close();
    }

    private long nowMs() {
        return clock.millis() - startMs;
    }

    private Append append() {
        Append append = new Append(nowMs());
        writer.append(batch(1, append.arrivedMs, 1, 100), (result, error) -> {
            if (error == null) {
                append.result = result;
                append.acknowledgedMs = nowMs();
            }
        });
        step();
        return append;
    }

    /** Moves the clock to {@code ms} one millisecond at a time, with a duty cycle at each. */
    private void runUntil(long ms) {
        while (nowMs() < ms) {
            clock.advanceMs(1);
            step();
        }
    }

    private void step() {
        writer.doWork();
        while (putsSeen < storage.conditionalPuts()) {
            putsSeen++;
            putTimesMs.add(nowMs());
        }
    }

    @Test
    void appendsThatKeepArrivingAreSealedAnIntervalAfterTheFirst() {
        List<Append> appends = new ArrayList<>();
        for (long t = 0; t < INTERVAL_MS; t += STOPPED_MS / 2) {
            runUntil(t);
            appends.add(append());
        }
        runUntil(INTERVAL_MS + 5);

        assertThat(putTimesMs).containsExactly(INTERVAL_MS);
        assertThat(appends).allSatisfy(append -> assertThat(append.acknowledgedMs).isBetween(INTERVAL_MS, INTERVAL_MS + 1));
        assertThat(writer.objectsWritten()).isEqualTo(1);
    }

    @Test
    void anAppendAfterAQuietIntervalIsSealedOnceAppendsStop() {
        runUntil(1_000);
        Append lone = append();

        runUntil(1_000 + STOPPED_MS - 1);
        assertThat(putTimesMs).isEmpty();
        runUntil(1_000 + STOPPED_MS + 1);

        assertThat(putTimesMs).containsExactly(1_000 + STOPPED_MS);
        assertThat(lone.acknowledgedMs).isBetween(1_000 + STOPPED_MS, 1_000 + STOPPED_MS + 1);
    }

    @Test
    void anObjectOpenedWhileItsPredecessorWasWrittenIsSealedAnIntervalAfterThePredecessor() {
        storage.holdPuts();
        List<Append> first = new ArrayList<>();
        for (long t = 0; t < INTERVAL_MS; t += STOPPED_MS / 2) {
            runUntil(t);
            first.add(append());
        }
        long putReturnsMs = INTERVAL_MS + 40;
        runUntil(putReturnsMs);
        assertThat(putTimesMs).containsExactly(INTERVAL_MS);
        assertThat(first).allSatisfy(append -> assertThat(append.acknowledgedMs).isEqualTo(-1));

        // The first object's PUT returns; the requests its producers held back arrive from then on.
        storage.releasePuts();
        storage.holdPuts();
        step();
        assertThat(first).allSatisfy(append -> assertThat(append.acknowledgedMs).isEqualTo(putReturnsMs));
        List<Append> next = new ArrayList<>();
        for (long t : new long[] {putReturnsMs, putReturnsMs + 5, putReturnsMs + 10, putReturnsMs + 150}) {
            runUntil(t);
            next.add(append());
        }
        runUntil(putReturnsMs + INTERVAL_MS + 10);

        // Due an interval after the previous seal, not an interval after its own first append.
        assertThat(putTimesMs).containsExactly(INTERVAL_MS, 2 * INTERVAL_MS);
        assertThat(next).allSatisfy(append -> assertThat(append.acknowledgedMs).isEqualTo(-1));
        storage.releasePuts();
        step();
        assertThat(next).allSatisfy(append -> assertThat(append.acknowledgedMs).isEqualTo(nowMs()));
        assertThat(next.get(0).result.position()).isEqualTo(first.get(first.size() - 1).result.endPosition());
        assertThat(writer.objectsWritten()).isEqualTo(2);
    }

    @Test
    void objectsSealedBeforeTheirIntervalAreAtLeastAnIntervalApart() {
        List<Append> appends = new ArrayList<>();
        for (long t = 0; t <= 1_000; t += 50) {
            runUntil(t);
            appends.add(append());
        }
        runUntil(1_000 + INTERVAL_MS + 1);

        assertThat(putTimesMs).hasSizeLessThanOrEqualTo(5);
        for (int i = 1; i < putTimesMs.size(); i++) {
            assertThat(putTimesMs.get(i) - putTimesMs.get(i - 1)).isGreaterThanOrEqualTo(INTERVAL_MS);
        }
        assertThat(appends).allSatisfy(append ->
                assertThat(append.acknowledgedMs - append.arrivedMs).isBetween(0L, INTERVAL_MS + 1));
    }
}
