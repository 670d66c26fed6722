package dev.stratus.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.it.support.Clients;
import dev.stratus.it.support.StratusProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process, killed for real: SIGKILL loses nothing acknowledged (the WAL is
 * replayed at restart); SIGTERM, even with produces in flight, uploads the WAL before exiting,
 * so the restart replays nothing.
 */
class CrashRecoveryTest {

    private static final String TOPIC = "durable";
    private static final int PARTITIONS = 4;

    @TempDir
    Path tempDir;

    @Test
    void everyAcknowledgedRecordSurvivesSigkill() throws Exception {
        Path dataDir = tempDir.resolve("node");
        // Long upload interval: at the kill, the acknowledged data lives only in the WAL.
        try (StratusProcess server = new StratusProcess(dataDir, Map.of("wal.upload.interval.ms", "3600000")).start()) {
            createTopic(server.bootstrapServers());
            Set<String> acknowledged = produceUntilKilled(server);
            assertThat(acknowledged).isNotEmpty();

            server.start();
            assertThat(server.log()).as("the restart replays the WAL").containsPattern("WAL recovered [1-9][0-9]* bytes");
            Set<String> read = readValues(server.bootstrapServers());
            assertThat(read).containsAll(acknowledged);
        }
    }

    @Test
    void everyAcknowledgedRecordSurvivesSigkillWithTheObjectWal() throws Exception {
        Path dataDir = tempDir.resolve("node");
        Map<String, String> overrides = Map.of("wal.type", "object", "wal.upload.interval.ms", "3600000");
        try (StratusProcess server = new StratusProcess(dataDir, overrides).start()) {
            createTopic(server.bootstrapServers());
            Set<String> acknowledged = produceUntilKilled(server);
            assertThat(acknowledged).isNotEmpty();
            assertThat(objectFiles(dataDir.resolve("objects").resolve("wal"))).as("WAL objects written").isNotEmpty();
            assertThat(dataDir.resolve("wal")).as("no local WAL file").doesNotExist();

            server.start();
            assertThat(readValues(server.bootstrapServers())).containsAll(acknowledged);
        }
    }

    @Test
    void sigtermUploadsTheWalBeforeExitingSoTheRestartReplaysNothing() throws Exception {
        Path dataDir = tempDir.resolve("node");
        try (StratusProcess server = new StratusProcess(dataDir, Map.of("wal.upload.interval.ms", "3600000")).start()) {
            createTopic(server.bootstrapServers());
            Set<String> acknowledged = produce(server.bootstrapServers(), 2_000);

            assertThat(server.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isZero();
            assertThat(objectFiles(dataDir.resolve("objects"))).as("objects uploaded at shutdown").isNotEmpty();

            server.start();
            assertThat(server.log()).containsPattern("WAL recovered 0 bytes");
            assertThat(readValues(server.bootstrapServers())).containsExactlyInAnyOrderElementsOf(acknowledged);
        }
    }

    @Test
    void sigtermWithProducesInFlightExitsCleanlyAndKeepsEveryAcknowledgedRecord() throws Exception {
        Path dataDir = tempDir.resolve("node");
        try (StratusProcess server = new StratusProcess(dataDir, Map.of("wal.upload.interval.ms", "3600000")).start()) {
            createTopic(server.bootstrapServers());
            AtomicInteger exitCode = new AtomicInteger(-1);
            Set<String> acknowledged = produceUntilStopped(server, process -> exitCode.set(process.terminate(Duration.ofSeconds(60))));
            assertThat(acknowledged).isNotEmpty();
            assertThat(exitCode.get()).as("exit code after SIGTERM with produces in flight").isZero();

            server.start();
            assertThat(server.log()).as("everything acknowledged was uploaded before exit").containsPattern("WAL recovered 0 bytes");
            assertThat(readValues(server.bootstrapServers())).containsAll(acknowledged);
        }
    }

    private static void createTopic(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
        }
    }

    private static Set<String> produce(String bootstrap, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, Map.of())) {
            List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sends.add(producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, value(i))));
            }
            for (var send : sends) {
                send.get();
            }
        }
        return IntStream.range(0, count).mapToObj(CrashRecoveryTest::text).collect(Collectors.toSet());
    }

    /** Produces continuously, recording what is acknowledged, and kills the server mid-stream. */
    private static Set<String> produceUntilKilled(StratusProcess server) throws Exception {
        return produceUntilStopped(server, StratusProcess::kill);
    }

    /** Produces continuously, recording what is acknowledged, and stops the server mid-stream with {@code stop}. */
    private static Set<String> produceUntilStopped(StratusProcess server, ServerStop stop) throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<String, Object> config = Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000, ProducerConfig.LINGER_MS_CONFIG, 2);
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(server.bootstrapServers(), config)) {
            for (int i = 0; i < 12_000; i++) {
                int n = i;
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, value(i)), (metadata, error) -> {
                    if (error == null) {
                        acknowledged.add(text(n));
                    }
                });
                if (i == 10_000) {
                    // Stop with sends still in flight: only what was acknowledged must survive.
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (acknowledged.size() < 5_000 && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    stop.apply(server);
                    // Nothing more to send: a producer whose metadata went stale would block in send().
                    break;
                }
            }
            producer.close(Duration.ofSeconds(10));
        }
        return acknowledged;
    }

    @FunctionalInterface
    private interface ServerStop {
        void apply(StratusProcess server) throws Exception;
    }

    private static Set<String> readValues(String bootstrap) {
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
        return Clients.readAll(bootstrap, partitions, Duration.ofSeconds(60)).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .collect(Collectors.toSet());
    }

    private static byte[] value(int i) {
        return text(i).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(int i) {
        return "record-" + i + "-" + "x".repeat(200);
    }

    private static List<Path> objectFiles(Path objectsDir) throws Exception {
        if (!Files.exists(objectsDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(objectsDir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
