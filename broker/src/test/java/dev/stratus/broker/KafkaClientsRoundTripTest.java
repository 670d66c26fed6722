package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.broker.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KafkaClientsRoundTripTest {

    private static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(config -> config.withNumPartitions(2));
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    @Test
    void idempotentProducerRecordsAreConsumedInOrderWithKeysValuesHeadersAndTimestamps() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic("round-trip", 3, (short) 1))).all().get();
        }
        Random random = new Random(42);
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps("gzip"))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                byte[] value = i % 10 == 0 ? null : new byte[10 + random.nextInt(2000)];
                if (value != null) {
                    random.nextBytes(value);
                }
                RecordHeaders headers = new RecordHeaders();
                headers.add("index", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("round-trip", i % 3,
                        1_700_000_000_000L + i, ("key-" + i).getBytes(StandardCharsets.UTF_8), value, headers);
                sent.add(record);
                acks.add(producer.send(record));
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                assertThat(ack.get().hasOffset()).isTrue();
            }
        }

        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> received = consumeAll("round-trip", 3, sent.size());
        for (int partition = 0; partition < 3; partition++) {
            int p = partition;
            List<ProducerRecord<byte[], byte[]>> expected = sent.stream().filter(r -> r.partition() == p).toList();
            List<ConsumerRecord<byte[], byte[]>> actual = received.get(partition);
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i).offset()).isEqualTo(i);
                assertThat(actual.get(i).key()).isEqualTo(expected.get(i).key());
                assertThat(actual.get(i).value()).isEqualTo(expected.get(i).value());
                assertThat(actual.get(i).timestamp()).isEqualTo(expected.get(i).timestamp());
                assertThat(actual.get(i).headers().lastHeader("index").value())
                        .isEqualTo(expected.get(i).headers().lastHeader("index").value());
            }
        }
    }

    @Test
    void producingToAMissingTopicAutoCreatesItWithTheDefaultPartitionCount() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps("none"))) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>("auto-created", 1, null, "v".getBytes())).get();
            assertThat(metadata.offset()).isZero();
            assertThat(producer.partitionsFor("auto-created")).hasSize(2);
        }
    }

    @Test
    void consumerWaitingOnAnEmptyPartitionReceivesRecordsProducedLater() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic("late", 1, (short) 1))).all().get();
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps("none"))) {
            TopicPartition tp = new TopicPartition("late", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            assertThat(consumer.poll(Duration.ofMillis(300))).isEmpty();
            producer.send(new ProducerRecord<>("late", 0, null, "hello".getBytes())).get();
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (got.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(got::add);
            }
            assertThat(got).singleElement().satisfies(r -> assertThat(r.value()).isEqualTo("hello".getBytes()));
        }
    }

    private static Map<Integer, List<ConsumerRecord<byte[], byte[]>>> consumeAll(String topic, int partitions, int count) {
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> received = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
                received.put(p, new ArrayList<>());
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            int total = 0;
            long deadline = System.currentTimeMillis() + 20_000;
            while (total < count && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    received.get(record.partition()).add(record);
                    total++;
                }
            }
        }
        return received;
    }

    private static Properties producerProps(String compression) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return props;
    }

    private static Properties consumerProps() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }
}
