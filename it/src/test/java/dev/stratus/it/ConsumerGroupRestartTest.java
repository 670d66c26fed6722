package dev.stratus.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.it.support.InProcessStratus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java consumer with a group.id on the real server: it consumes part of a topic, commits, the
 * server restarts on the same data, and the group resumes exactly at the committed offsets
 * (kept in {@code __consumer_offsets}).
 */
class ConsumerGroupRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void committedOffsetsSurviveARestartAndTheGroupResumesFromThem() throws Exception {
        List<String> firstRun = new ArrayList<>();
        try (InProcessStratus stratus = InProcessStratus.start(dataDir, Map.of())) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stratus.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("ledger", 2, (short) 1))).all().get();
            }
            produce(stratus, "before", 40);
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(stratus))) {
                consumer.subscribe(List.of("ledger"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (firstRun.size() < 15 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        firstRun.add(record.value());
                    }
                }
                consumer.commitSync();
            }
        }
        assertThat(firstRun).hasSizeGreaterThanOrEqualTo(15);

        try (InProcessStratus stratus = InProcessStratus.start(dataDir, Map.of())) {
            produce(stratus, "after", 10);
            List<String> secondRun = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(stratus))) {
                consumer.subscribe(List.of("ledger"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (firstRun.size() + secondRun.size() < 50 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        secondRun.add(record.value());
                    }
                }
            }
            assertThat(secondRun).doesNotContainAnyElementsOf(firstRun);
            assertThat(firstRun.size() + secondRun.size()).isEqualTo(50);
        }
    }

    private static void produce(InProcessStratus stratus, String prefix, int count) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stratus.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>("ledger", i % 2, null, prefix + "-" + i));
            }
            producer.flush();
        }
    }

    private static Properties consumerProps(InProcessStratus stratus) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stratus.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "ledger-readers");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5");
        return props;
    }
}
