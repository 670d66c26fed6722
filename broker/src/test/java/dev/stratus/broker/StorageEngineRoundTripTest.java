package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.broker.testing.TestController;
import dev.stratus.storage.engine.StorageConfig;
import dev.stratus.storage.engine.StreamStorageEngine;
import dev.stratus.storage.objects.MemoryObjectStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker over the real storage engine (file WAL, in-memory object storage), with the fake controller. */
class StorageEngineRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void recordsProducedThroughTheFileWalAreConsumedBack() throws Exception {
        StorageConfig storage = new StorageConfig(dir.resolve("wal"), 16L * 1024 * 1024, 2_000, 4L * 1024 * 1024,
                60_000, 8L * 1024 * 1024, 1024 * 1024);
        TestController controller = TestController.start();
        StreamStorageEngine engine = new StreamStorageEngine(storage, new MemoryObjectStorage(),
                controller.controller, Clock.systemUTC());
        engine.start().get(10, TimeUnit.SECONDS);
        Broker broker = new Broker(BrokerConfig.defaults(1, "127.0.0.1", 0, "engine-test").withThreads(2, 2),
                engine, controller.controller, controller.controller, controller.loader);
        String bootstrap = "127.0.0.1:" + broker.start();
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic("engine", 2, (short) 1))).all().get();
            }
            Properties producerProps = new Properties();
            producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
                for (int i = 0; i < 1000; i++) {
                    producer.send(new ProducerRecord<>("engine", i % 2, "k" + i, "value-" + i));
                }
                producer.flush();
            }
            Properties consumerProps = new Properties();
            consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
                List<TopicPartition> partitions = List.of(new TopicPartition("engine", 0), new TopicPartition("engine", 1));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                long deadline = System.currentTimeMillis() + 15_000;
                while (received.size() < 1000 && System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                }
            }
            assertThat(received).hasSize(1000);
            assertThat(received.stream().filter(r -> r.partition() == 0).map(ConsumerRecord::value).limit(3))
                    .containsExactly("value-0", "value-2", "value-4");
        } finally {
            broker.shutdown();
            engine.shutdown().get(10, TimeUnit.SECONDS);
        }
    }
}
