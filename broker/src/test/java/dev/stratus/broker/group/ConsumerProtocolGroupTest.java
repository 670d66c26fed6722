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
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real Kafka 4.x consumers with {@code group.protocol=consumer} (KIP-848) against the server-side assignment. */
class ConsumerProtocolGroupTest {

    static final GroupCoordinatorConfig FAST = GroupTestSupport.FAST.withConsumerTimeouts(200, 3_000);

    private TestBroker broker;
    private final List<KafkaConsumer<String, String>> consumers = new ArrayList<>();

    @AfterEach
    void stop() {
        consumers.forEach(c -> c.close(Duration.ofSeconds(5)));
        if (broker != null) {
            broker.close();
        }
    }

    private KafkaConsumer<String, String> consumer(String groupId, String assignor) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        if (assignor != null) {
            props.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor);
        }
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumers.add(consumer);
        return consumer;
    }

    /** Polls every consumer until {@code done} holds; returns the values read. */
    private static List<String> pollUntil(List<KafkaConsumer<String, String>> group, BooleanSupplier done) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached in time").isLessThan(deadline);
            for (KafkaConsumer<String, String> consumer : group) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static Set<TopicPartition> partitions(String topic, int count) {
        Set<TopicPartition> all = new HashSet<>();
        for (int p = 0; p < count; p++) {
            all.add(new TopicPartition(topic, p));
        }
        return all;
    }

    private static boolean splitsAll(KafkaConsumer<String, String> a, KafkaConsumer<String, String> b,
                                     Set<TopicPartition> all) {
        Set<TopicPartition> first = a.assignment();
        Set<TopicPartition> second = b.assignment();
        if (first.isEmpty() || second.isEmpty()) {
            return false;
        }
        Set<TopicPartition> union = new HashSet<>(first);
        union.addAll(second);
        return union.equals(all) && first.size() + second.size() == all.size();
    }

    @Test
    void consumersShareRebalanceHandOverAndDescribe() throws Exception {
        broker = TestBroker.start(config -> config.withGroups(FAST));
        GroupTestSupport.createTopic(broker, "t", 4);
        GroupTestSupport.produce(broker, "t", 4, "a", 40);
        Set<TopicPartition> all = partitions("t", 4);

        KafkaConsumer<String, String> first = consumer("g", null);
        first.subscribe(List.of("t"));
        List<String> read = pollUntil(List.of(first), () -> first.assignment().equals(all));
        read.addAll(pollUntil(List.of(first), () -> first.position(new TopicPartition("t", 0)) >= 10
                && all.stream().allMatch(tp -> first.position(tp) >= 10)));
        assertThat(read).hasSize(40);
        first.commitSync();

        KafkaConsumer<String, String> second = consumer("g", null);
        second.subscribe(List.of("t"));
        pollUntil(List.of(first, second), () -> splitsAll(first, second, all));
        assertThat(first.assignment()).hasSize(2);

        try (Admin admin = GroupTestSupport.admin(broker)) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of("g")).all().get().get("g");
            assertThat(description.type()).isEqualTo(GroupType.CONSUMER);
            assertThat(description.partitionAssignor()).isEqualTo("uniform");
            assertThat(description.members()).hasSize(2);
            Set<TopicPartition> described = new HashSet<>();
            description.members().forEach(m -> described.addAll(m.assignment().topicPartitions()));
            assertThat(described).isEqualTo(all);
            assertThat(admin.listConsumerGroupOffsets("g").partitionsToOffsetAndMetadata().get())
                    .containsOnlyKeys(all);
        }

        consumers.remove(second);
        second.close(Duration.ofSeconds(5));
        pollUntil(List.of(first), () -> first.assignment().equals(all));
    }

    @Test
    void offsetsResumeAfterRestart() throws Exception {
        broker = TestBroker.start(config -> config.withGroups(FAST));
        GroupTestSupport.createTopic(broker, "t", 2);
        GroupTestSupport.produce(broker, "t", 2, "a", 10);
        KafkaConsumer<String, String> consumer = consumer("g", null);
        consumer.subscribe(List.of("t"));
        List<String> read = pollUntil(List.of(consumer), () -> consumer.assignment().size() == 2
                && consumer.position(new TopicPartition("t", 0)) >= 5 && consumer.position(new TopicPartition("t", 1)) >= 5);
        assertThat(read).hasSize(10);
        consumer.commitSync();
        consumers.remove(consumer);
        consumer.close(Duration.ofSeconds(5));

        broker.stopBroker();
        broker = broker.restart();
        GroupTestSupport.produce(broker, "t", 2, "b", 10);
        KafkaConsumer<String, String> again = consumer("g", null);
        again.subscribe(List.of("t"));
        List<String> after = pollUntil(List.of(again), () -> again.assignment().size() == 2
                && again.position(new TopicPartition("t", 0)) >= 10 && again.position(new TopicPartition("t", 1)) >= 10);
        assertThat(after).hasSize(10).allMatch(v -> v.startsWith("b-"));
        again.commitSync();
        try (Admin admin = GroupTestSupport.admin(broker)) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets("g").partitionsToOffsetAndMetadata().get();
            assertThat(offsets.values()).allMatch(o -> o.offset() == 10);
        }
    }

    @Test
    void rangeAndUniformAssignorsEachCoverEveryPartitionOnce() throws Exception {
        broker = TestBroker.start(config -> config.withGroups(FAST));
        GroupTestSupport.createTopic(broker, "x", 3);
        GroupTestSupport.createTopic(broker, "y", 3);
        Set<TopicPartition> all = partitions("x", 3);
        all.addAll(partitions("y", 3));
        for (String assignor : List.of("range", "uniform")) {
            KafkaConsumer<String, String> a = consumer("g-" + assignor, assignor);
            KafkaConsumer<String, String> b = consumer("g-" + assignor, assignor);
            a.subscribe(List.of("x", "y"));
            b.subscribe(List.of("x", "y"));
            pollUntil(List.of(a, b), () -> splitsAll(a, b, all));
            if (assignor.equals("uniform")) {
                assertThat(a.assignment()).hasSize(3);
            } else {
                // Range: per topic, 3 partitions over 2 members is 2 + 1, so one member has 4 and the other 2.
                assertThat(List.of(a.assignment().size(), b.assignment().size())).containsExactlyInAnyOrder(2, 4);
                // Range gives each member the same partition indexes of co-partitioned topics.
                assertThat(a.assignment().stream().filter(tp -> tp.topic().equals("x")).map(TopicPartition::partition))
                        .containsExactlyInAnyOrderElementsOf(a.assignment().stream()
                                .filter(tp -> tp.topic().equals("y")).map(TopicPartition::partition).toList());
            }
            try (Admin admin = GroupTestSupport.admin(broker)) {
                assertThat(admin.describeConsumerGroups(List.of("g-" + assignor)).all().get().get("g-" + assignor)
                        .partitionAssignor()).isEqualTo(assignor);
            }
        }
    }
}
