package dev.stratus.bench.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A consumer at the tail of every partition of a topic, measuring end-to-end latency: for each
 * record, the time from when it was due to be sent (its {@link RecordStamp}) to when {@code poll}
 * returned it. Positions are resolved at the end before {@link #start} returns, so a producer
 * started afterwards has every record seen.
 *
 * <p>Threading: the thread {@code compare-consumer-<topic>} owns the KafkaConsumer; the harness
 * thread reads windows and stops it ({@link KafkaConsumer#wakeup()} is the only call it makes).
 */
final class TailConsumer implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread poller;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Recorder latencyMicros = new Recorder(600_000_000L, 3);
    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private volatile Throwable error;
    private long windowStartNs;
    private long windowStartRecords;
    private long windowStartBytes;

    private TailConsumer(String bootstrapServers, String topic, int partitions) {
        consumer = new KafkaConsumer<>(ClientConfigs.consumer(bootstrapServers, "compare-tail-" + topic));
        List<TopicPartition> assignment = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assignment.add(new TopicPartition(topic, p));
        }
        consumer.assign(assignment);
        consumer.seekToEnd(assignment);
        assignment.forEach(consumer::position); // resolves the end offsets now, on this thread, before handing over
        poller = new Thread(this::pollLoop, "compare-consumer-" + topic);
    }

    static TailConsumer start(String bootstrapServers, String topic, int partitions) {
        TailConsumer tail = new TailConsumer(bootstrapServers, topic, partitions);
        tail.resetWindow();
        tail.poller.start();
        return tail;
    }

    private void pollLoop() {
        try {
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                long nowNs = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    latencyMicros.recordValue(Math.min(Math.max(0, (nowNs - RecordStamp.read(record.value())) / 1000),
                            600_000_000L));
                    bytes.add(record.value().length);
                }
                records.add(batch.count());
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            error = e;
        } finally {
            consumer.close();
        }
    }

    void resetWindow() {
        latencyMicros.reset();
        windowStartNs = System.nanoTime();
        windowStartRecords = records.sum();
        windowStartBytes = bytes.sum();
    }

    Window takeWindow() {
        long nowNs = System.nanoTime();
        Histogram latency = latencyMicros.getIntervalHistogram();
        long recordsNow = records.sum();
        long bytesNow = bytes.sum();
        Window window = new Window(recordsNow - windowStartRecords, bytesNow - windowStartBytes,
                (nowNs - windowStartNs) / 1e9, 0, LatencySummary.of(latency));
        windowStartNs = nowNs;
        windowStartRecords = recordsNow;
        windowStartBytes = bytesNow;
        return window;
    }

    long consumedBytes() {
        return bytes.sum();
    }

    Throwable error() {
        return error;
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            poller.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
