package dev.stratus.bench.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer that reads a topic's backlog from the beginning up to the end offsets the partitions
 * had when it started, as fast as it can: a consumer catching up. Runs on the caller's thread,
 * which owns the KafkaConsumer for the read.
 */
final class BacklogReader {

    /** What one read did: value bytes and records read, how long it took, and whether it reached the end in time. */
    record Result(long bytes, long records, double seconds, boolean finished) {

        double megabytesPerSecond() {
            return seconds > 0 ? bytes / seconds / 1e6 : 0;
        }
    }

    private BacklogReader() {
    }

    static Result readAll(String bootstrapServers, String topic, int partitions, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(ClientConfigs.consumer(bootstrapServers, "compare-backlog-" + topic))) {
            List<TopicPartition> assignment = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assignment.add(new TopicPartition(topic, p));
            }
            Map<TopicPartition, Long> remaining = new HashMap<>(consumer.endOffsets(assignment, Duration.ofSeconds(30)));
            remaining.values().removeIf(end -> end == 0);
            consumer.assign(assignment);
            consumer.seekToBeginning(assignment);
            long startNs = System.nanoTime();
            long deadlineNs = startNs + timeout.toNanos();
            long bytes = 0;
            long records = 0;
            while (!remaining.isEmpty() && System.nanoTime() < deadlineNs) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    Long end = remaining.get(partition);
                    if (end != null && record.offset() < end) {
                        bytes += record.value().length;
                        records++;
                        if (record.offset() + 1 >= end) {
                            remaining.remove(partition);
                        }
                    }
                }
            }
            return new Result(bytes, records, (System.nanoTime() - startNs) / 1e9, remaining.isEmpty());
        }
    }
}
