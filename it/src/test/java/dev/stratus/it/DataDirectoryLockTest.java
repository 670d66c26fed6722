package dev.stratus.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.it.support.Clients;
import dev.stratus.it.support.StratusProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes on one data directory: the second refuses to start, says why, and the
 * first keeps its data and keeps serving, before and after a restart.
 */
class DataDirectoryLockTest {

    @TempDir
    Path tempDir;

    @Test
    void aSecondProcessOnTheSameDataDirectoryExitsWithTwoAndTheFirstKeepsItsData() throws Exception {
        Path dataDir = tempDir.resolve("node");
        try (StratusProcess first = new StratusProcess(dataDir, Map.of()).start();
             StratusProcess second = new StratusProcess(dataDir, Map.of())) {
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(first.bootstrapServers(), Map.of())) {
                producer.send(new ProducerRecord<>("locked", 0, null, "before".getBytes(StandardCharsets.UTF_8))).get();
            }

            int exitCode = second.startExpectingExit(Duration.ofSeconds(60));

            assertThat(exitCode).isEqualTo(2);
            assertThat(second.log()).contains("Another Stratus process is using the data directory " + dataDir);
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(first.bootstrapServers(), Map.of())) {
                producer.send(new ProducerRecord<>("locked", 0, null, "after".getBytes(StandardCharsets.UTF_8))).get();
            }
            first.kill();
            first.start();
            assertThat(first.log()).doesNotContain("torn or corrupt");
            List<ConsumerRecord<byte[], byte[]>> read = Clients.readAll(first.bootstrapServers(),
                    List.of(new TopicPartition("locked", 0)), Duration.ofSeconds(30));
            assertThat(read).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("before", "after");
        }
    }
}
