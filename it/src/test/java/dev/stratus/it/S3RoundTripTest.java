package dev.stratus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stratus.it.support.Clients;
import dev.stratus.it.support.InProcessStratus;
import dev.stratus.server.config.ConfigException;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.testing.S3ProxyFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Stratus node with {@code object.storage.type=s3} against a real S3 server (s3proxy on
 * 127.0.0.1), configured as an operator would configure an S3-compatible store: real Kafka
 * producer and consumer, objects in the bucket, and reads from the bucket after a restart; the
 * same with the object WAL ({@code wal.type=object}), whose conditional writes go to the bucket
 * too; and the startup check stopping a misconfigured node.
 */
class S3RoundTripTest {

    @RegisterExtension
    static final S3ProxyFixture S3 = new S3ProxyFixture();

    private static final String TOPIC = "on-s3";
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 3_000;

    @TempDir
    Path dataDir;

    private static Map<String, String> s3Overrides(String bucket) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("object.storage.type", "s3");
        overrides.put("s3.bucket", bucket);
        overrides.put("s3.region", S3ProxyFixture.REGION);
        overrides.put("s3.endpoint", S3.endpoint().toString());
        overrides.put("s3.path.style.access", "true");
        overrides.put("s3.access.key", S3ProxyFixture.ACCESS_KEY);
        overrides.put("s3.secret.key", S3ProxyFixture.SECRET_KEY);
        return overrides;
    }

    private static List<TopicPartition> partitions() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(TOPIC, p));
        }
        return partitions;
    }

    private static String value(int i) {
        return "record-" + i + "-" + "x".repeat(i % 200);
    }

    @Test
    void recordsProducedToANodeOnS3AreConsumedBeforeAndAfterARestartFromTheBucket() throws Exception {
        String bucket = S3.createBucket();
        Map<String, String> overrides = s3Overrides(bucket);
        Map<Integer, List<String>> sent = new HashMap<>();

        try (InProcessStratus stratus = InProcessStratus.start(dataDir, overrides)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stratus.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
            }
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(stratus.bootstrapServers(), Map.of())) {
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                for (int i = 0; i < RECORDS; i++) {
                    int partition = i % PARTITIONS;
                    sends.add(producer.send(new ProducerRecord<>(TOPIC, partition, null, value(i).getBytes(StandardCharsets.UTF_8))));
                    sent.computeIfAbsent(partition, p -> new ArrayList<>()).add(value(i));
                }
                producer.flush();
                for (Future<RecordMetadata> send : sends) {
                    send.get();
                }
            }
            assertThat(valuesByPartition(Clients.readAll(stratus.bootstrapServers(), partitions(), Duration.ofSeconds(30))))
                    .isEqualTo(sent);
        }
        // The graceful shutdown uploaded the WAL: the data is in the bucket.
        assertThat(S3.keys(bucket)).anyMatch(key -> ObjectKeys.objectId(key) >= 0);
        assertThat(S3.keys(bucket)).noneMatch(key -> key.startsWith("_stratus/startup-check/"));

        // After a restart the log cache is empty and the WAL trimmed: every record comes from the bucket.
        try (InProcessStratus restarted = InProcessStratus.start(dataDir, overrides)) {
            assertThat(valuesByPartition(Clients.readAll(restarted.bootstrapServers(), partitions(), Duration.ofSeconds(30))))
                    .isEqualTo(sent);
        }
    }

    @Test
    void withTheObjectWalEveryAcknowledgedRecordIsInTheBucketBeforeAnyUpload() throws Exception {
        String bucket = S3.createBucket();
        Map<String, String> overrides = s3Overrides(bucket);
        overrides.put("wal.type", "object");
        overrides.put("wal.object.interval.ms", "20");
        List<String> sent = new ArrayList<>();
        try (InProcessStratus stratus = InProcessStratus.start(dataDir, overrides)) {
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(stratus.bootstrapServers(), Map.of())) {
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    sends.add(producer.send(new ProducerRecord<>(TOPIC, 0, null, value(i).getBytes(StandardCharsets.UTF_8))));
                    sent.add(value(i));
                }
                for (Future<RecordMetadata> send : sends) {
                    send.get();
                }
            }
            // Acknowledged means written to the bucket: WAL objects are there before any upload.
            assertThat(S3.keys(bucket)).anyMatch(key -> key.startsWith("wal/"));
            List<TopicPartition> partition = List.of(new TopicPartition(TOPIC, 0));
            assertThat(valuesByPartition(Clients.readAll(stratus.bootstrapServers(), partition, Duration.ofSeconds(30))).get(0))
                    .isEqualTo(sent);
        }
    }

    private static Map<Integer, List<String>> valuesByPartition(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, List<String>> values = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            values.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(new String(record.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    @Test
    void aMissingBucketStopsStartupWithAMessageSayingHowToFixIt() {
        String missing = S3.missingBucket();
        assertThatThrownBy(() -> InProcessStratus.start(dataDir, s3Overrides(missing)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("S3 bucket '" + missing + "' does not exist")
                .hasMessageContaining("s3.bucket");
    }

    @Test
    void wrongCredentialsStopStartupWithAMessageSayingWhich() {
        Map<String, String> overrides = s3Overrides(S3.createBucket());
        overrides.put("s3.secret.key", "not-the-secret");
        assertThatThrownBy(() -> InProcessStratus.start(dataDir, overrides))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rejected the credentials")
                .hasMessageContaining("s3.secret.key");
    }
}
