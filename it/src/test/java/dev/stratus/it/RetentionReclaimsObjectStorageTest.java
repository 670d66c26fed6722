package dev.stratus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stratus.it.support.Clients;
import dev.stratus.it.support.InProcessStratus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention end to end on the real engine: once {@code retention.bytes} trims a partition,
 * compaction and garbage collection remove the trimmed data from object storage, so a topic's
 * storage bill follows its retention.
 */
class RetentionReclaimsObjectStorageTest {

    private static final String TOPIC = "reclaimed";
    private static final int RECORDS = 4_000;
    private static final int VALUE_BYTES = 1_000;

    @TempDir
    Path dir;

    @Test
    void trimmedDataLeavesObjectStorage() throws Exception {
        Path dataDir = dir.resolve("node");
        Map<String, String> overrides = Map.of(
                "wal.upload.interval.ms", "200",
                "log.retention.check.interval.ms", "200",
                "compaction.interval.ms", "300",
                "object.deletion.grace.ms", "0");
        try (InProcessStratus stratus = InProcessStratus.start(dataDir, overrides);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stratus.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(stratus.bootstrapServers(), Map.of())) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, 0, null, new byte[VALUE_BYTES]));
                }
                producer.flush();
            }
            Path objects = dataDir.resolve("objects");
            long produced = (long) RECORDS * VALUE_BYTES;
            await().atMost(Duration.ofSeconds(60)).until(() -> bytesUnder(objects) >= produced);

            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, TOPIC), List.of(
                    new AlterConfigOp(new ConfigEntry("retention.bytes", String.valueOf(256 * 1024)), AlterConfigOp.OpType.SET))))
                    .all().get();

            TopicPartition partition = new TopicPartition(TOPIC, 0);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(admin.listOffsets(Map.of(partition, OffsetSpec.earliest())).all().get().get(partition).offset())
                            .isGreaterThan(RECORDS / 2));
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(bytesUnder(objects)).as("bytes left in object storage").isLessThan(produced / 4));
            assertThat(admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition).offset())
                    .isEqualTo(RECORDS);
        }
    }

    private static long bytesUnder(Path root) {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException gone) {
                    return 0; // deleted while we walked
                }
            }).sum();
        } catch (IOException | UncheckedIOException walkRace) {
            return Long.MAX_VALUE; // a directory vanished during the walk: look again
        }
    }
}
