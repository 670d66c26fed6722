package dev.stratus.it.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.it.support.Clients;
import dev.stratus.it.support.KafkaClientVersions;
import dev.stratus.it.support.StratusProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A consumer group of real client processes, of the current and the previous major Java client,
 * against a real server process, with the classic protocol and (4.x) the KIP-848 consumer
 * protocol: members join one by one (rebalances) until Admin shows the three sharing every
 * partition, one is killed (its session expires), one leaves cleanly, and the last one reads
 * everything; committed offsets survive a SIGTERM restart of the server, and a new member resumes
 * exactly where the group stopped.
 */
class ConsumerGroupCompatibilityTest {

    private static final String TOPIC = "group-compat";
    private static final String GROUP = "compat-group";
    private static final int PARTITIONS = 6;
    private static final int RECORDS = 1_500;

    @TempDir
    Path dir;

    private final List<Member> members = new ArrayList<>();
    private String protocol;

    @AfterEach
    void stopMembers() throws InterruptedException {
        for (Member member : members) {
            member.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "kafka-clients {0}")
    @ValueSource(strings = {"4", "3.9", "4 group.protocol=consumer"})
    void aGroupConsumesEverythingThroughJoinsACrashALeaveAndAServerRestart(String client) throws Exception {
        String version = client.split(" ")[0];
        protocol = client.endsWith("group.protocol=consumer") ? "consumer" : "classic";
        Path dataDir = dir.resolve("node");
        Map<String, String> overrides = Map.of("group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "3",
                "group.consumer.heartbeat.interval.ms", "500", "group.consumer.session.timeout.ms", "6000");
        String classPath = KafkaClientVersions.classPath(version);
        try (StratusProcess stratus = new StratusProcess(dataDir, overrides).start()) {
            try (Admin admin = admin(stratus)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
            }
            produce(stratus, 0, RECORDS);

            Member first = start(stratus, classPath, version);
            awaitRecords(Duration.ofSeconds(60), 100);
            Member second = start(stratus, classPath, version);
            Member third = start(stratus, classPath, version);
            awaitEveryMemberAssigned(stratus, 3, Duration.ofSeconds(60));
            awaitRecords(Duration.ofSeconds(60), RECORDS / 2);

            third.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);   // a crash: no LeaveGroup
            second.process.destroy();                                        // SIGTERM: a clean leave
            assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.output()).contains("LEFT");

            Set<String> all = values(0, RECORDS);
            awaitConsumed(Duration.ofSeconds(90), all);
            first.process.destroy();
            assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(committedTotal(stratus)).isEqualTo(RECORDS);
            assertThat(first.output()).contains("MEMBER " + version);

            assertThat(stratus.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isZero();
            StratusProcess restarted = stratus.start();
            assertThat(committedTotal(restarted)).as("offsets survive the restart").isEqualTo(RECORDS);
            produce(restarted, RECORDS, 300);
            Member resumed = start(restarted, classPath, version);
            awaitConsumed(Duration.ofSeconds(60), values(RECORDS, 300));
            assertThat(resumed.values()).as("the group resumes at its committed offsets")
                    .containsExactlyInAnyOrderElementsOf(values(RECORDS, 300));
        }
    }

    private record Member(Process process, Path log) {
        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        List<String> values() throws IOException {
            return output().lines().filter(line -> line.startsWith("RECORD ")).map(line -> line.substring(7)).toList();
        }
    }

    private Member start(StratusProcess stratus, String classPath, String version) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("member-" + version + "-" + members.size() + ".log");
        Process process = new ProcessBuilder(List.of(java, "-Xmx128m", "-cp", classPath, GroupMemberProbe.class.getName(),
                stratus.bootstrapServers(), TOPIC, GROUP, protocol))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Member member = new Member(process, log);
        members.add(member);
        return member;
    }

    private Set<String> consumed() throws IOException {
        Set<String> values = new HashSet<>();
        for (Member member : members) {
            values.addAll(member.values());
        }
        return values;
    }

    private void awaitRecords(Duration timeout, int count) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumed().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("consumed " + consumed().size() + " < " + count + "; logs:\n" + logs());
            }
            Thread.sleep(100);
        }
    }

    private void awaitConsumed(Duration timeout, Set<String> expected) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!consumed().containsAll(expected)) {
            if (System.nanoTime() > deadline) {
                Set<String> missing = new HashSet<>(expected);
                missing.removeAll(consumed());
                throw new AssertionError(missing.size() + " records never consumed; logs:\n" + logs());
            }
            Thread.sleep(100);
        }
    }

    private String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Member member : members) {
            all.append("--- ").append(member.log().getFileName()).append('\n');
            member.output().lines().filter(line -> !line.startsWith("RECORD ")).forEach(line -> all.append(line).append('\n'));
        }
        return all.toString();
    }

    private static Set<String> values(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> "v-" + i).collect(Collectors.toSet());
    }

    private static void produce(StratusProcess stratus, int from, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(stratus.bootstrapServers(), Map.of())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, ("v-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /**
     * Waits until Admin describeConsumerGroups shows {@code count} members, each holding at least
     * one partition, the assignments disjoint and together every partition of the topic: the
     * coordinator shares the topic out, it does not leave it all with the first member.
     */
    private void awaitEveryMemberAssigned(StratusProcess stratus, int count, Duration timeout) throws Exception {
        Set<TopicPartition> all = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TOPIC, p))
                .collect(Collectors.toSet());
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Set<TopicPartition>> assignments = List.of();
        try (Admin admin = admin(stratus)) {
            while (System.nanoTime() < deadline) {
                assignments = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP).members().stream()
                        .map(member -> member.assignment().topicPartitions()).toList();
                Set<TopicPartition> union = new HashSet<>();
                assignments.forEach(union::addAll);
                boolean shared = assignments.size() == count
                        && assignments.stream().noneMatch(Set::isEmpty)
                        && assignments.stream().mapToInt(Set::size).sum() == PARTITIONS
                        && union.equals(all);
                if (shared) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("describeConsumerGroups never showed " + count + " members sharing all " + PARTITIONS
                + " partitions; last assignments " + assignments + "; logs:\n" + logs());
    }

    private static long committedTotal(StratusProcess stratus) throws Exception {
        try (Admin admin = admin(stratus)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get();
            return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    private static Admin admin(StratusProcess stratus) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stratus.bootstrapServers()));
    }
}
