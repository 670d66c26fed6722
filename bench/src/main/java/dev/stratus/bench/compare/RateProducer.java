package dev.stratus.bench.compare;

import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One Kafka producer sending 1 KiB records to one topic, either at a fixed rate (open loop: record
 * {@code i} is due at {@code start + i / rate}, whether or not earlier ones were acknowledged) or
 * as fast as it can. A record's produce latency runs from the moment it was due (its stamp) to its
 * acknowledgement, so a producer that falls behind, or blocks on a full buffer, shows it in its
 * latency instead of hiding it (no coordinated omission).
 *
 * <p>Threading: the thread {@code compare-producer-<topic>} sends; acknowledgement callbacks run
 * on the producer's I/O thread and record into a {@link Recorder}; the harness thread starts,
 * reads windows and stops.
 */
final class RateProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int recordBytes;
    private final double nanosPerRecord;
    private final long maxRecords;
    private final Thread sender;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Recorder latencyMicros = new Recorder(600_000_000L, 3);
    private final LongAdder acked = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile Throwable firstError;
    private long windowStartNs;
    private long windowStartAcked;
    private long windowStartFailed;

    private RateProducer(String bootstrapServers, String topic, int recordBytes, double recordsPerSecond, long maxRecords) {
        this.producer = new KafkaProducer<>(ClientConfigs.producer(bootstrapServers, "compare-producer-" + topic));
        this.topic = topic;
        this.recordBytes = recordBytes;
        this.nanosPerRecord = recordsPerSecond > 0 ? 1e9 / recordsPerSecond : 0;
        this.maxRecords = maxRecords;
        this.sender = new Thread(this::sendLoop, "compare-producer-" + topic);
    }

    /** Sends {@code megabytesPerSecond} MB/s (10^6 bytes of values). */
    static RateProducer atRate(String bootstrapServers, String topic, int recordBytes, double megabytesPerSecond) {
        return start(new RateProducer(bootstrapServers, topic, recordBytes, megabytesPerSecond * 1e6 / recordBytes,
                Long.MAX_VALUE));
    }

    /** Sends as fast as the producer's buffer drains, {@code maxRecords} at most. */
    static RateProducer unlimited(String bootstrapServers, String topic, int recordBytes, long maxRecords) {
        return start(new RateProducer(bootstrapServers, topic, recordBytes, 0, maxRecords));
    }

    private static RateProducer start(RateProducer producer) {
        producer.resetWindow();
        producer.sender.start();
        return producer;
    }

    private void sendLoop() {
        byte[] value = new byte[recordBytes];
        new Random(recordBytes).nextBytes(value); // incompressible, like most real payloads
        long startNs = System.nanoTime();
        long sent = 0;
        try {
            while (running.get() && sent < maxRecords) {
                long dueNs;
                if (nanosPerRecord > 0) {
                    dueNs = startNs + (long) (sent * nanosPerRecord);
                    long waitNs = dueNs - System.nanoTime();
                    if (waitNs > 50_000) {
                        LockSupport.parkNanos(waitNs);
                        continue;
                    }
                } else {
                    dueNs = System.nanoTime();
                }
                RecordStamp.write(value, dueNs);
                // send() copies the value into its batch before returning: the array can be reused.
                producer.send(new ProducerRecord<>(topic, value), acknowledgement(dueNs));
                sent++;
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                firstError = e;
            }
        }
    }

    private Callback acknowledgement(long dueNs) {
        return (metadata, error) -> {
            if (error != null) {
                failed.increment();
                if (firstError == null) {
                    firstError = error;
                }
                return;
            }
            acked.increment();
            latencyMicros.recordValue(Math.min((System.nanoTime() - dueNs) / 1000, 600_000_000L));
        };
    }

    /** Starts a new measured window: what came before is discarded. */
    void resetWindow() {
        latencyMicros.reset();
        windowStartNs = System.nanoTime();
        windowStartAcked = acked.sum();
        windowStartFailed = failed.sum();
    }

    /** The window since the last reset (records acknowledged in it, their latencies), and starts the next. */
    Window takeWindow() {
        long nowNs = System.nanoTime();
        Histogram latency = latencyMicros.getIntervalHistogram();
        long ackedNow = acked.sum();
        long failedNow = failed.sum();
        Window window = new Window(ackedNow - windowStartAcked, (ackedNow - windowStartAcked) * recordBytes,
                (nowNs - windowStartNs) / 1e9, failedNow - windowStartFailed, LatencySummary.of(latency));
        windowStartNs = nowNs;
        windowStartAcked = ackedNow;
        windowStartFailed = failedNow;
        return window;
    }

    /** True while the sender has records left to send (an unlimited producer stops at its maximum). */
    boolean sending() {
        return sender.isAlive();
    }

    /** Stops sending and waits until every record sent is acknowledged or failed. */
    void stopAndFlush() throws InterruptedException {
        running.set(false);
        sender.join();
        producer.flush();
    }

    long ackedBytes() {
        return acked.sum() * recordBytes;
    }

    long failedRecords() {
        return failed.sum();
    }

    Throwable firstError() {
        return firstError;
    }

    /** Stops sending and closes the producer (which waits for what is in flight). */
    @Override
    public void close() {
        running.set(false);
        try {
            sender.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
