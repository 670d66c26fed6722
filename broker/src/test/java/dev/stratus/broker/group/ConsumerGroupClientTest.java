package dev.stratus.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.broker.testing.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Java KafkaConsumer in a group: subscribe, consume, commit, and resume from the committed offsets. */
class ConsumerGroupClientTest {

    private TestBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = GroupTestSupport.broker();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void consumerCommitsAndASecondConsumerOfTheGroupResumesFromTheCommittedOffsets() throws Exception {
        GroupTestSupport.createTopic(broker, "orders", 2);
        GroupTestSupport.produce(broker, "orders", 2, "a", 10);
        Properties props = GroupTestSupport.consumerProps(broker, "billing");
        Set<String> first = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = GroupTestSupport.consumer(props)) {
            consumer.subscribe(List.of("orders"));
            long deadline = System.currentTimeMillis() + 20_000;
            while (first.size() < 10 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    first.add(record.value());
                }
            }
            consumer.commitSync();
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(
                    Set.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1)));
            assertThat(committed.get(new TopicPartition("orders", 0)).offset()).isEqualTo(5);
            assertThat(committed.get(new TopicPartition("orders", 1)).offset()).isEqualTo(5);
        }
        assertThat(first).hasSize(10);

        GroupTestSupport.produce(broker, "orders", 2, "b", 6);
        List<String> second = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = GroupTestSupport.consumer(props)) {
            consumer.subscribe(List.of("orders"));
            long deadline = System.currentTimeMillis() + 20_000;
            while (second.size() < 6 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    second.add(record.value());
                }
            }
        }
        assertThat(second).hasSize(6).allMatch(v -> v.startsWith("b-"));
    }
}
