package dev.stratus.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.it.support.Clients;
import dev.stratus.it.support.StratusProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumer group state on a real server process killed for real: a member of a group commits
 * offsets (acknowledged once durable in the WAL) and is still in the group when the server gets
 * SIGKILL; the restart replays the WAL, Admin reads the same committed offsets, and a new member
 * of the group resumes exactly at them.
 */
class ConsumerGroupCrashRecoveryTest {

    private static final String TOPIC = "crash-ledger";
    private static final String GROUP = "crash-readers";
    private static final int PARTITIONS = 3;
    private static final int PER_PARTITION = 40;
    /** Where the group stopped: part way, further, and at the end of the partition. */
    private static final Map<TopicPartition, Long> COMMITTED = Map.of(
            new TopicPartition(TOPIC, 0), 7L,
            new TopicPartition(TOPIC, 1), 23L,
            new TopicPartition(TOPIC, 2), (long) PER_PARTITION);
    private static final String METADATA = "processed-before-the-crash";

    @TempDir
    static Path tempDir;

    private static StratusProcess server;

    @BeforeAll
    static void commitThenKillAndRestart() throws Exception {
        // Long upload interval: at the kill, the committed offsets live only in the WAL.
        server = new StratusProcess(tempDir.resolve("node"), Map.of("wal.upload.interval.ms", "3600000",
                "group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "3")).start();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
        }
        produce();

        KafkaConsumer<String, String> member = member();
        member.subscribe(List.of(TOPIC));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (member.assignment().size() < PARTITIONS && System.nanoTime() < deadline) {
            member.poll(Duration.ofMillis(200));
        }
        assertThat(member.assignment()).as("the only member holds every partition").hasSize(PARTITIONS);
        member.commitSync(COMMITTED.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue(), METADATA))));
        try (Admin admin = admin()) {
            assertThat(committed(admin)).as("committed before the kill").isEqualTo(COMMITTED);
        }

        server.kill();   // the member is still in the group: no LeaveGroup, no upload
        member.close(CloseOptions.timeout(Duration.ofSeconds(1)));
        server.start();
        assertThat(server.log()).as("the restart replays the WAL").containsPattern("WAL recovered [1-9][0-9]* bytes");
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void committedOffsetsAndTheirMetadataAreUnchangedAfterSigkillAndRestart() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get();
            assertThat(committed(admin)).isEqualTo(COMMITTED);
            assertThat(offsets.values()).extracting(OffsetAndMetadata::metadata).containsOnly(METADATA);
        }
    }

    @Test
    void aNewMemberOfTheGroupResumesExactlyAtTheCommittedOffsets() throws Exception {
        // Every (partition, offset) from the committed offset to the end, and nothing before.
        List<String> expected = new ArrayList<>();
        COMMITTED.forEach((partition, offset) -> LongStream.range(offset, PER_PARTITION)
                .forEach(o -> expected.add(partition.partition() + "@" + o)));
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> member = member()) {
            member.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (read.size() < expected.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : member.poll(Duration.ofMillis(200))) {
                    assertThat(record.value()).isEqualTo(value(record.partition(), record.offset()));
                    read.add(record.partition() + "@" + record.offset());
                }
            }
            // Anything past the expected records would be a second delivery: give it one more poll.
            member.poll(Duration.ofMillis(500)).forEach(record -> read.add(record.partition() + "@" + record.offset()));
        }
        assertThat(read).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** A group member that commits only when told to, with a short session so a crashed member expires soon. */
    private static KafkaConsumer<String, String> member() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static void produce() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(server.bootstrapServers(), Map.of())) {
            for (int p = 0; p < PARTITIONS; p++) {
                for (int o = 0; o < PER_PARTITION; o++) {
                    producer.send(new ProducerRecord<>(TOPIC, p, null, value(p, o).getBytes(StandardCharsets.UTF_8))).get();
                }
            }
        }
    }

    private static String value(int partition, long offset) {
        return "p" + partition + "-o" + offset;
    }

    private static Map<TopicPartition, Long> committed(Admin admin) throws Exception {
        return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrapServers()));
    }
}
