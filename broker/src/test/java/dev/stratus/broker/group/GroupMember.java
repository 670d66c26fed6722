package dev.stratus.broker.group;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A KafkaConsumer on its own thread: polls, records every value into a shared set, commits
 * after each non-empty poll, and publishes its assignment. {@link #close()} leaves the group.
 * Test-only.
 */
final class GroupMember implements AutoCloseable {

    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile Throwable failure;

    GroupMember(Properties props, String topic, Set<String> consumed) {
        thread = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
                consumer.subscribe(List.of(topic));
                while (running.get()) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                    for (ConsumerRecord<String, String> record : records) {
                        consumed.add(record.value());
                    }
                    if (!records.isEmpty()) {
                        try {
                            consumer.commitSync();
                        } catch (RuntimeException e) {
                            // a rebalance got in the way: the records are consumed again by the next owner
                        }
                    }
                    assignment = Set.copyOf(consumer.assignment());
                }
            } catch (Throwable t) {
                failure = t;
            }
        }, "group-member-" + props.getProperty("client.id", "?"));
        thread.setDaemon(true);
        thread.start();
    }

    Set<TopicPartition> assignment() {
        return assignment;
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(20_000);
    }
}
