package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.broker.testing.FailingObjectStorage;
import dev.stratus.broker.testing.RawKafkaClient;
import dev.stratus.broker.testing.Requests;
import dev.stratus.broker.testing.TestController;
import dev.stratus.storage.engine.StorageConfig;
import dev.stratus.storage.engine.StreamStorageEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault "WAL full": object storage refuses writes, so nothing can be uploaded and a tiny WAL
 * fills up. Producers get retriable errors (and retry) instead of acknowledgements, everything
 * already acknowledged stays readable, and once object storage heals the same producer goes on
 * by itself: no restart, no lost or duplicated record, no offset hole.
 */
class StorageBackPressureTest {

    private static final String TOPIC = "pressure";
    private static final int VALUE_BYTES = 2_000;

    @TempDir
    Path dir;

    private static String value(int i) {
        String prefix = "value-" + i + "-";
        return prefix + "x".repeat(VALUE_BYTES - prefix.length());
    }

    @Test
    void aFullWalPushesBackWithRetriableErrorsAndTheSameProducerResumesWhenObjectStorageHeals() throws Exception {
        assertThat(Errors.KAFKA_STORAGE_ERROR.exception()).isInstanceOf(RetriableException.class);
        StorageConfig storage = new StorageConfig(dir.resolve("wal"), 256 * 1024, 300, 16 * 1024, 60_000,
                32 * 1024, 64 * 1024);
        FailingObjectStorage objects = new FailingObjectStorage();
        TestController controller = TestController.start();
        StreamStorageEngine engine = new StreamStorageEngine(storage, objects,
                controller.controller, Clock.systemUTC());
        engine.start().get(10, TimeUnit.SECONDS);
        Broker broker = new Broker(BrokerConfig.defaults(1, "127.0.0.1", 0, "pressure-test").withThreads(2, 2),
                engine, controller.controller, controller.controller, controller.loader);
        int port = broker.start();
        String bootstrap = "127.0.0.1:" + port;
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            objects.failWrites = true;

            Properties producerProps = new Properties();
            producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producerProps.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 50);
            producerProps.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
            producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            int sent = 0;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
                // Fill the WAL: acknowledged one by one until a record is not acknowledged within two seconds.
                List<Integer> acknowledged = new ArrayList<>();
                List<Future<RecordMetadata>> pending = new ArrayList<>();
                while (pending.isEmpty()) {
                    Future<RecordMetadata> future = producer.send(new ProducerRecord<>(TOPIC, 0, null, value(sent)));
                    try {
                        RecordMetadata metadata = future.get(2, TimeUnit.SECONDS);
                        assertThat(metadata.offset()).isEqualTo(sent);
                        acknowledged.add(sent);
                    } catch (TimeoutException e) {
                        pending.add(future);
                    }
                    sent++;
                    assertThat(sent).as("the WAL never filled").isLessThan(500);
                }
                for (int i = 0; i < 10; i++, sent++) {
                    pending.add(producer.send(new ProducerRecord<>(TOPIC, 0, null, value(sent))));
                }
                assertThat(acknowledged).hasSizeGreaterThan(50);

                // A produce request now waits, then gets a retriable error rather than an acknowledgement.
                try (RawKafkaClient raw = new RawKafkaClient(port)) {
                    ProduceResponse response = raw.roundTrip(Requests.produce(TOPIC, 0,
                            MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("raw".getBytes())), (short) -1));
                    Errors error = Errors.forCode(response.data().responses().iterator().next()
                            .partitionResponses().get(0).errorCode());
                    assertThat(error).isEqualTo(Errors.KAFKA_STORAGE_ERROR);
                }
                assertThat(pending).noneMatch(Future::isDone);

                // Everything acknowledged is readable while object storage is still down.
                assertThat(consume(bootstrap, acknowledged.size())).containsExactlyElementsOf(
                        acknowledged.stream().map(StorageBackPressureTest::value).toList());

                // Object storage heals: the uploads go through, the WAL drains, the same producer carries on.
                objects.failWrites = false;
                long previous = acknowledged.size() - 1;
                for (Future<RecordMetadata> future : pending) {
                    RecordMetadata metadata = future.get(60, TimeUnit.SECONDS);
                    assertThat(metadata.offset()).isEqualTo(previous + 1);
                    previous = metadata.offset();
                }
                for (int i = 0; i < 5; i++, sent++) {
                    assertThat(producer.send(new ProducerRecord<>(TOPIC, 0, null, value(sent))).get(30, TimeUnit.SECONDS)
                            .offset()).isEqualTo(sent);
                }
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < sent; i++) {
                expected.add(value(i));
            }
            assertThat(consume(bootstrap, sent)).containsExactlyElementsOf(expected);
        } finally {
            broker.shutdown();
            engine.shutdown().get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> consume(String bootstrap, int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
