package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stratus.broker.testing.TestBroker;
import dev.stratus.metadata.BrokerLoad;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** What a broker's heartbeat reports: requests served and each led partition's bytes in and out. */
class BrokerLoadTest {

    @Test
    void theLoadCountsRequestsAndEachPartitionsBytesProducedAndFetched() throws Exception {
        try (TestBroker broker = TestBroker.start()) {
            byte[] value = new byte[1000];
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()), new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 20; i++) {
                    producer.send(new ProducerRecord<>("loaded", 0, null, value)).get();
                }
            }
            UUID topicId = broker.controller.image().topic("loaded").topicId();
            BrokerLoad afterProduce = broker.broker.load();
            BrokerLoad.PartitionLoad produced = partition(afterProduce, topicId);
            assertThat(produced.bytesIn()).isGreaterThanOrEqualTo(20 * 1000L);
            assertThat(produced.bytesOut()).isZero();

            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                TopicPartition tp = new TopicPartition("loaded", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                int read = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (read < 20 && System.nanoTime() < deadline) {
                    read += consumer.poll(Duration.ofMillis(200)).count();
                }
                assertThat(read).isEqualTo(20);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> partition(broker.broker.load(), topicId).bytesOut() >= 20 * 1000L);
            assertThat(broker.broker.load().requests()).isGreaterThan(afterProduce.requests());
        }
    }

    private static BrokerLoad.PartitionLoad partition(BrokerLoad load, UUID topicId) {
        return load.partitions().stream().filter(p -> p.topicId().equals(topicId) && p.partition() == 0).findFirst().orElseThrow();
    }
}
