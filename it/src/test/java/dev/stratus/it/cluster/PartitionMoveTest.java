package dev.stratus.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stratus.it.support.KafkaCli;
import dev.stratus.it.support.StratusCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partitions move between brokers by handing their streams over: one controller and three
 * brokers as processes sharing an {@code fs} object store. Under load from an idempotent
 * producer and a group consumer, random moves lose no acknowledged record and write none twice,
 * and the group keeps its committed offsets; Kafka's {@code kafka-reassign-partitions} drives
 * a move end to end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartitionMoveTest {

    private static final int PARTITIONS = 6;
    private static final int MOVES = 50;
    private static final List<Integer> BROKERS = List.of(101, 102, 103);

    private StratusCluster cluster;

    @BeforeAll
    void startCluster(@TempDir Path dir) throws Exception {
        cluster = StratusCluster.start(dir, 1, 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Admin admin = admin()) {
                return admin.describeCluster().nodes().get().size() == 3;
            }
        });
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.keepLogs(Path.of("target", "partition-move-logs"));
            cluster.close();
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    private int leaderOf(Admin admin, String topic, int partition) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        var leader = description.partitions().get(partition).leader();
        return leader == null ? -1 : leader.id();
    }

    private KafkaConsumer<String, String> consumer(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        config.putAll(extra);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    @Test
    @Order(1)
    void randomMovesUnderLoadLoseNoAcknowledgedRecordWriteNoneTwiceAndTheGroupKeepsItsOffsets() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("moving", PARTITIONS, (short) 1))).all().get();
        }
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> {
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
            try (KafkaProducer<String, String> p = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; producing.get(); i++) {
                    String value = "v-" + i;
                    p.send(new ProducerRecord<>("moving", "k" + i, value), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.add(value);
                        } else {
                            failed.incrementAndGet();
                        }
                    });
                    // About 2,000 records a second: load on every partition through every move.
                    if (i % 20 == 19) {
                        Thread.sleep(10);
                    }
                }
                p.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "load-producer");
        Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        AtomicBoolean consuming = new AtomicBoolean(true);
        Thread group = new Thread(() -> {
            try (KafkaConsumer<String, String> c = consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "movers",
                    ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000))) {
                c.subscribe(List.of("moving"));
                long checkedAt = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(200))) {
                        deliveries.merge(record.value(), 1, Integer::sum);
                    }
                    c.commitSync();
                    if (!consuming.get() && System.nanoTime() - checkedAt > 1_000_000_000L) {
                        checkedAt = System.nanoTime();
                        if (deliveries.keySet().containsAll(acknowledged)) {
                            return;
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                // the test gave up waiting
            }
        }, "group-consumer");
        producer.setDaemon(true);
        group.setDaemon(true);
        producer.start();
        group.start();

        Random random = new Random(42);
        List<Long> moveMillis = new ArrayList<>();
        try (Admin admin = admin()) {
            for (int move = 0; move < MOVES; move++) {
                int partition = random.nextInt(PARTITIONS);
                int from = leaderOf(admin, "moving", partition);
                List<Integer> others = BROKERS.stream().filter(b -> b != from).toList();
                int to = others.get(random.nextInt(others.size()));
                long start = System.nanoTime();
                admin.alterPartitionReassignments(Map.of(new TopicPartition("moving", partition),
                        Optional.of(new NewPartitionReassignment(List.of(to))))).all().get();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                        .until(() -> leaderOf(admin, "moving", partition) == to);
                moveMillis.add((System.nanoTime() - start) / 1_000_000);
            }
            assertThat(admin.listPartitionReassignments().reassignments().get()).isEmpty();
        }
        producing.set(false);
        producer.join(150_000);
        consuming.set(false);
        group.join(StratusCluster.patience().toMillis());
        group.interrupt();
        System.out.println("Partition moves (ms, from request to the new leader in metadata): " + moveMillis);
        long readStart = System.nanoTime();

        assertThat(failed.get()).as("records the producer gave up on").isZero();
        assertThat(acknowledged).hasSizeGreaterThan(1_000);
        // Every acknowledged record is in the log exactly once.
        Map<String, Integer> inLog = readAll("moving");
        System.out.println("Read back " + inLog.size() + " records in " + (System.nanoTime() - readStart) / 1_000_000 + " ms");
        assertThat(inLog.keySet()).containsAll(acknowledged);
        assertThat(inLog.values()).allMatch(count -> count == 1);
        // The group read everything, re-reading at most what a rebalance had not committed yet.
        assertThat(deliveries.keySet()).containsAll(acknowledged);
        long redelivered = deliveries.values().stream().mapToLong(n -> n - 1).sum();
        assertThat(redelivered).isLessThan(acknowledged.size() / 2);
    }

    /** Every record of the topic, read from the start to the end offsets, counted by value. */
    private Map<String, Integer> readAll(String topic) {
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, String> c = consumer(Map.of())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.nanoTime() + StratusCluster.patience().toNanos();
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(200))) {
                    counts.merge(record.value(), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    @Test
    @Order(2)
    void kafkaReassignPartitionsMovesAPartitionAndVerifiesTheMove(@TempDir Path dir) throws Exception {
        int from;
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("tool", 1, (short) 1))).all().get();
            from = leaderOf(admin, "tool", 0);
        }
        int to = BROKERS.stream().filter(b -> b != from).findFirst().orElseThrow();
        Path plan = dir.resolve("plan.json");
        Files.writeString(plan, "{\"version\":1,\"partitions\":[{\"topic\":\"tool\",\"partition\":0,\"replicas\":[" + to + "]}]}");

        KafkaCli.Result execute = KafkaCli.run(KafkaCli.REASSIGN_PARTITIONS, List.of("--bootstrap-server",
                cluster.bootstrapServers(), "--reassignment-json-file", plan.toString(), "--execute"));
        assertThat(execute.exitCode()).as(execute.output()).isZero();
        assertThat(execute.output()).contains("Successfully started partition reassignment");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            KafkaCli.Result verify = KafkaCli.run(KafkaCli.REASSIGN_PARTITIONS, List.of("--bootstrap-server",
                    cluster.bootstrapServers(), "--reassignment-json-file", plan.toString(), "--verify", "--preserve-throttles"));
            return verify.exitCode() == 0 && verify.output().contains("Reassignment of partition tool-0 is completed");
        });
        try (Admin admin = admin()) {
            assertThat(leaderOf(admin, "tool", 0)).isEqualTo(to);
        }
        KafkaCli.Result list = KafkaCli.run(KafkaCli.REASSIGN_PARTITIONS, List.of("--bootstrap-server",
                cluster.bootstrapServers(), "--list"));
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.output()).contains("No partition reassignments found");
    }

    @Test
    @Order(3)
    void sigtermMovesEveryPartitionOfTheBrokerToTheOthersBeforeItExits() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("drained", PARTITIONS, (short) 1))).all().get();
            // Placement follows load, which the moves above left uneven: make sure 103 leads some.
            for (int p = 0; p < 2; p++) {
                int partition = p;
                admin.alterPartitionReassignments(Map.of(new TopicPartition("drained", partition),
                        Optional.of(new NewPartitionReassignment(List.of(103))))).all().get();
                await().atMost(Duration.ofSeconds(30)).until(() -> leaderOf(admin, "drained", partition) == 103);
            }
        }
        Set<String> sent = ConcurrentHashMap.newKeySet();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServersWithout(103));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 600; i++) {
                String value = "d-" + i;
                p.send(new ProducerRecord<>("drained", "k" + i, value)).get();
                sent.add(value);
            }
        }

        long start = System.nanoTime();
        int exit = cluster.broker(103).terminate(Duration.ofSeconds(60));
        System.out.println("Broker 103 drained and exited " + (System.nanoTime() - start) / 1_000_000 + " ms after SIGTERM");

        assertThat(exit).isZero();
        assertThat(cluster.broker(103).log()).contains("Broker 103: drained in");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServersWithout(103),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            assertThat(leadersOf(admin, "drained")).doesNotContain(103, -1);
        }
        Map<String, Integer> read = new HashMap<>();
        Map<String, Object> consumerConfig = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServersWithout(103), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, "after-drain"));
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new StringDeserializer())) {
            c.subscribe(List.of("drained"));
            long deadline = System.nanoTime() + StratusCluster.patience().toNanos();
            while (!read.keySet().containsAll(sent) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(200))) {
                    read.merge(record.value(), 1, Integer::sum);
                }
            }
        }
        assertThat(read.keySet()).containsAll(sent);
    }

    private List<Integer> leadersOf(Admin admin, String topic) throws Exception {
        List<Integer> leaders = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            leaders.add(leaderOf(admin, topic, p));
        }
        return leaders;
    }
}
