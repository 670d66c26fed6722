package dev.stratus.it.compat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * One member of a consumer group, run in a JVM of its own by {@code ConsumerGroupCompatibilityTest}
 * with whichever kafka-clients jar the test chooses: subscribes, prints every record it
 * processes as {@code RECORD <value>}, then commits it synchronously, and runs until killed
 * (a crash) or sent SIGTERM (a clean leave: the consumer closes and leaves the group).
 * Uses only API that both 3.9 and 4.x clients have.
 */
public final class GroupMemberProbe {

    private GroupMemberProbe() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        String group = args[2];
        // "classic" (JoinGroup/SyncGroup, the only protocol of 3.9) or "consumer" (KIP-848, 4.x).
        String protocol = args.length > 3 ? args[3] : "classic";
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (protocol.equals("consumer")) {
            // Heartbeat and session timeouts are the group's (broker) settings in this protocol.
            config.put("group.protocol", "consumer");
        } else {
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
            config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        }
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consumer.wakeup();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("MEMBER " + AppInfoParser.getVersion());
        try {
            consumer.subscribe(List.of(topic));
            while (true) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    // Idle: commit the position of everything processed, in case a commit failed in a rebalance.
                    commitQuietly(consumer);
                }
                for (ConsumerRecord<String, String> record : records) {
                    // Processed (printed) before committed: a crash in between means at least once, never lost.
                    System.out.println("RECORD " + record.value());
                    try {
                        consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1)));
                    } catch (CommitFailedException rebalancing) {
                        // A rebalance moved on (classic: new generation; KIP-848: new member epoch) while this
                        // commit was in flight, as applications see it: a later commit covers the record.
                        System.out.println("COMMIT FAILED " + rebalancing.getMessage());
                    }
                    // Slow enough that the test can stop members while records remain.
                    Thread.sleep(5);
                }
            }
        } catch (WakeupException stopping) {
            // SIGTERM: leave the group cleanly.
        } finally {
            consumer.close();
            System.out.println("LEFT");
            closed.countDown();
        }
    }

    private static void commitQuietly(KafkaConsumer<String, String> consumer) {
        try {
            consumer.commitSync();
        } catch (CommitFailedException rebalancing) {
            System.out.println("COMMIT FAILED " + rebalancing.getMessage());
        }
    }
}
