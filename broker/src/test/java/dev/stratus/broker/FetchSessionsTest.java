package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.broker.fetch.FetchSessionConfig;
import dev.stratus.broker.testing.RawKafkaClient;
import dev.stratus.broker.testing.Requests;
import dev.stratus.broker.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Incremental fetch sessions (KIP-227), as a real consumer and a raw client see them. */
class FetchSessionsTest {

    @Test
    void aRealConsumerReadsManyPartitionsThroughAnIncrementalSession() throws Exception {
        try (TestBroker broker = TestBroker.start()) {
            int partitions = 12;
            try (RawKafkaClient admin = new RawKafkaClient(broker.port)) {
                admin.roundTrip(Requests.createTopic("many", partitions));
            }
            Map<String, String> sent = new HashMap<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(broker))) {
                for (int i = 0; i < 600; i++) {
                    producer.send(new ProducerRecord<>("many", i % partitions, "k" + i, "v" + i));
                    sent.put("k" + i, "v" + i);
                }
                producer.flush();
            }
            List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assigned.add(new TopicPartition("many", p));
            }
            Map<String, String> got = new HashMap<>();
            Map<Integer, Long> nextOffset = new HashMap<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(broker))) {
                consumer.assign(assigned);
                consumer.seekToBeginning(assigned);
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (got.size() < sent.size() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        long expected = nextOffset.getOrDefault(record.partition(), 0L);
                        assertThat(record.offset()).as("offsets in order, no gaps").isEqualTo(expected);
                        nextOffset.put(record.partition(), expected + 1);
                        assertThat(got.put(record.key(), record.value())).as("no duplicates").isNull();
                    }
                }
                assertThat(got).isEqualTo(sent);
                assertThat(broker.broker.fetchSessions().size()).isEqualTo(1);
                assertThat(broker.broker.fetchSessions().created()).as("one session, used incrementally throughout").isEqualTo(1);

                try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(broker))) {
                    producer.send(new ProducerRecord<>("many", 5, "late", "tail")).get();
                }
                deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!got.containsKey("late") && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> got.put(r.key(), r.value()));
                }
                assertThat(got).containsEntry("late", "tail");
            }
        }
    }

    @Test
    void incrementalFetchesCarryOnlyPartitionsWithSomethingNew() throws Exception {
        try (TestBroker broker = TestBroker.start(); RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("inc", 3));
            produce(client, "inc", 0, "a");

            FetchResponse full = client.roundTrip(fetch(12, 0, 0, Map.of(p("inc", 0), 0L, p("inc", 1), 0L, p("inc", 2), 0L)));
            int session = full.data().sessionId();
            assertThat(session).isNotZero();
            assertThat(partitionsOf(full)).containsExactly("inc-0", "inc-1", "inc-2");
            assertThat(broker.broker.fetchSessions().size()).isEqualTo(1);

            FetchResponse nothingNew = client.roundTrip(fetch(12, session, 1, Map.of(p("inc", 0), 1L)));
            assertThat(nothingNew.error()).isEqualTo(Errors.NONE);
            assertThat(nothingNew.data().sessionId()).isEqualTo(session);
            assertThat(partitionsOf(nothingNew)).isEmpty();

            produce(client, "inc", 1, "b");
            FetchResponse oneNew = client.roundTrip(fetch(12, session, 2, Map.of()));
            assertThat(partitionsOf(oneNew)).containsExactly("inc-1");
            FetchResponseData.PartitionData data = oneNew.data().responses().get(0).partitions().get(0);
            assertThat(data.highWatermark()).isEqualTo(1);
            assertThat(values(data)).containsExactly("b");
        }
    }

    @Test
    void anIncrementalLongPollIsWokenByAnAppendAndAnswersWithThatPartitionOnly() throws Exception {
        try (TestBroker broker = TestBroker.start();
             RawKafkaClient client = new RawKafkaClient(broker.port);
             RawKafkaClient producer = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("poll", 4));
            FetchResponse full = client.roundTrip(fetch(12, 0, 0,
                    Map.of(p("poll", 0), 0L, p("poll", 1), 0L, p("poll", 2), 0L, p("poll", 3), 0L)));
            int session = full.data().sessionId();
            long start = System.nanoTime();
            RequestHeader waiting = client.send(fetch(12, session, 1, Map.of(), 1, 8000));
            Thread.sleep(200);
            produce(producer, "poll", 2, "x");
            FetchResponse woken = client.receive(waiting);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
            assertThat(partitionsOf(woken)).containsExactly("poll-2");
        }
    }

    @Test
    void partitionsThatReturnedDataGoLastSoATightByteLimitIsShared() throws Exception {
        try (TestBroker broker = TestBroker.start(); RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("fair", 2));
            for (int i = 0; i < 3; i++) {
                produce(client, "fair", 0, "a" + i);
                produce(client, "fair", 1, "b" + i);
            }
            FetchRequestData full = fetchData(0, 0, 0, 0, Map.of(p("fair", 0), 0L, p("fair", 1), 0L)).setMaxBytes(1);
            FetchResponse first = client.roundTrip(new FetchRequest(full, (short) 12));
            int session = first.data().sessionId();
            assertThat(recordsByPartition(first)).containsExactly("fair-0=a0", "fair-1=");

            FetchRequestData next = fetchData(0, 0, session, 1, Map.of(p("fair", 0), 1L)).setMaxBytes(1);
            assertThat(recordsByPartition(client.roundTrip(new FetchRequest(next, (short) 12)))).containsExactly("fair-0=a1");

            FetchRequestData then = fetchData(0, 0, session, 2, Map.of(p("fair", 0), 2L)).setMaxBytes(1);
            assertThat(recordsByPartition(client.roundTrip(new FetchRequest(then, (short) 12)))).containsExactly("fair-1=b0");
        }
    }

    @Test
    void aWrongEpochOrAnUnknownSessionIsRefusedWithKafkasErrors() throws Exception {
        try (TestBroker broker = TestBroker.start(); RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("epochs", 1));
            int session = client.<FetchResponse>roundTrip(fetch(12, 0, 0, Map.of(p("epochs", 0), 0L))).data().sessionId();

            FetchResponse wrongEpoch = client.roundTrip(fetch(12, session, 5, Map.of()));
            assertThat(wrongEpoch.error()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
            assertThat(wrongEpoch.data().sessionId()).isZero();
            assertThat(wrongEpoch.data().responses()).isEmpty();

            FetchResponse unknown = client.roundTrip(fetch(12, session + 1, 1, Map.of()));
            assertThat(unknown.error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);

            FetchResponse rightEpoch = client.roundTrip(fetch(12, session, 1, Map.of()));
            assertThat(rightEpoch.error()).isEqualTo(Errors.NONE);
            FetchResponse replayed = client.roundTrip(fetch(12, session, 1, Map.of()));
            assertThat(replayed.error()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
        }
    }

    @Test
    void forgottenTopicsDropOutOfTheSession() throws Exception {
        try (TestBroker broker = TestBroker.start(); RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("kept", 1));
            client.roundTrip(Requests.createTopic("dropped", 2));
            int session = client.<FetchResponse>roundTrip(fetch(12, 0, 0,
                    Map.of(p("kept", 0), 0L, p("dropped", 0), 0L, p("dropped", 1), 0L))).data().sessionId();

            FetchRequestData forget = fetchData(0, 0, session, 1, Map.of());
            forget.forgottenTopicsData().add(new FetchRequestData.ForgottenTopic().setTopic("dropped").setPartitions(List.of(0, 1)));
            assertThat(partitionsOf(client.roundTrip(new FetchRequest(forget, (short) 12)))).isEmpty();

            produce(client, "kept", 0, "k");
            produce(client, "dropped", 0, "d0");
            produce(client, "dropped", 1, "d1");
            assertThat(partitionsOf(client.roundTrip(fetch(12, session, 2, Map.of())))).containsExactly("kept-0");
        }
    }

    @Test
    void aFullCacheAnswersSessionlessButStillWithDataAndClosingFreesTheSlot() throws Exception {
        try (TestBroker broker = TestBroker.start(c -> c.withFetchSessions(new FetchSessionConfig(1, 120_000)));
             RawKafkaClient first = new RawKafkaClient(broker.port);
             RawKafkaClient second = new RawKafkaClient(broker.port)) {
            first.roundTrip(Requests.createTopic("slots", 1));
            produce(first, "slots", 0, "v");
            int session = first.<FetchResponse>roundTrip(fetch(12, 0, 0, Map.of(p("slots", 0), 0L))).data().sessionId();
            assertThat(session).isNotZero();

            FetchResponse refused = second.roundTrip(fetch(12, 0, 0, Map.of(p("slots", 0), 0L)));
            assertThat(refused.error()).isEqualTo(Errors.NONE);
            assertThat(refused.data().sessionId()).isZero();
            assertThat(values(refused.data().responses().get(0).partitions().get(0))).containsExactly("v");

            FetchResponse closing = first.roundTrip(fetch(12, session, -1, Map.of(p("slots", 0), 1L)));
            assertThat(closing.data().sessionId()).isZero();
            assertThat(partitionsOf(closing)).containsExactly("slots-0");
            assertThat(broker.broker.fetchSessions().size()).isZero();
            assertThat(first.<FetchResponse>roundTrip(fetch(12, session, 1, Map.of())).error())
                    .isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);

            FetchResponse admitted = second.roundTrip(fetch(12, 0, 0, Map.of(p("slots", 0), 0L)));
            assertThat(admitted.data().sessionId()).isNotZero();
            assertThat(broker.broker.fetchSessions().size()).isEqualTo(1);
        }
    }

    @Test
    void sessionlessFetchesCreateNoSession() throws Exception {
        try (TestBroker broker = TestBroker.start(); RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("legacy", 1));
            produce(client, "legacy", 0, "old");
            FetchResponse response = client.roundTrip(fetch(12, 0, -1, Map.of(p("legacy", 0), 0L)));
            assertThat(response.data().sessionId()).isZero();
            assertThat(values(response.data().responses().get(0).partitions().get(0))).containsExactly("old");
            assertThat(broker.broker.fetchSessions().size()).isZero();
        }
    }

    @Test
    void sessionsByTopicIdWorkIncrementallyAndRefuseRequestsByName() throws Exception {
        try (TestBroker broker = TestBroker.start(); RawKafkaClient client = new RawKafkaClient(broker.port)) {
            CreateTopicsResponseData created = client.<CreateTopicsResponse>roundTrip(Requests.createTopic("ids", 2)).data();
            Uuid id = created.topics().find("ids").topicId();
            FetchRequestData full = fetchData(0, 0, 0, 0, Map.of());
            full.topics().add(new FetchRequestData.FetchTopic().setTopicId(id).setPartitions(List.of(
                    partition(0, 0), partition(1, 0))));
            FetchResponse fullResponse = client.roundTrip(new FetchRequest(full, (short) 16));
            int session = fullResponse.data().sessionId();
            assertThat(session).isNotZero();
            assertThat(fullResponse.data().responses().get(0).topicId()).isEqualTo(id);

            produce(client, "ids", 1, "by-id");
            FetchResponse incremental = client.roundTrip(new FetchRequest(fetchData(0, 0, session, 1, Map.of()), (short) 16));
            assertThat(incremental.data().responses()).hasSize(1);
            assertThat(incremental.data().responses().get(0).topicId()).isEqualTo(id);
            assertThat(incremental.data().responses().get(0).partitions().get(0).partitionIndex()).isEqualTo(1);

            FetchRequestData forget = fetchData(0, 0, session, 2, Map.of());
            forget.forgottenTopicsData().add(new FetchRequestData.ForgottenTopic().setTopicId(id).setPartitions(List.of(1)));
            assertThat(client.<FetchResponse>roundTrip(new FetchRequest(forget, (short) 16)).data().responses()).isEmpty();

            FetchResponse byName = client.roundTrip(fetch(12, session, 3, Map.of()));
            assertThat(byName.error()).isEqualTo(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
        }
    }

    private record TopicPartitionName(String topic, int partition) {
    }

    private static TopicPartitionName p(String topic, int partition) {
        return new TopicPartitionName(topic, partition);
    }

    private static FetchRequest fetch(int version, int sessionId, int epoch, Map<TopicPartitionName, Long> offsets) {
        return fetch(version, sessionId, epoch, offsets, 0, 0);
    }

    private static FetchRequest fetch(int version, int sessionId, int epoch, Map<TopicPartitionName, Long> offsets,
                                      int minBytes, int maxWaitMs) {
        return new FetchRequest(fetchData(minBytes, maxWaitMs, sessionId, epoch, offsets), (short) version);
    }

    /** A by-name request; topics and partitions sorted, so responses have a predictable order. */
    private static FetchRequestData fetchData(int minBytes, int maxWaitMs, int sessionId, int epoch,
                                              Map<TopicPartitionName, Long> offsets) {
        FetchRequestData data = new FetchRequestData()
                .setReplicaId(-1).setMinBytes(minBytes).setMaxWaitMs(maxWaitMs).setMaxBytes(10 * 1024 * 1024)
                .setIsolationLevel(IsolationLevel.READ_UNCOMMITTED.id()).setSessionId(sessionId).setSessionEpoch(epoch);
        offsets.keySet().stream().map(TopicPartitionName::topic).distinct().sorted().forEach(topic -> {
            FetchRequestData.FetchTopic fetchTopic = new FetchRequestData.FetchTopic().setTopic(topic);
            offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                    .sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.partition(), b.partition())))
                    .forEach(e -> fetchTopic.partitions().add(partition(e.getKey().partition(), e.getValue())));
            data.topics().add(fetchTopic);
        });
        return data;
    }

    private static FetchRequestData.FetchPartition partition(int partition, long offset) {
        return new FetchRequestData.FetchPartition().setPartition(partition).setFetchOffset(offset)
                .setPartitionMaxBytes(1024 * 1024).setCurrentLeaderEpoch(-1);
    }

    private static void produce(RawKafkaClient client, String topic, int partition, String value) throws Exception {
        client.roundTrip(Requests.produce(topic, partition, MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(value.getBytes(StandardCharsets.UTF_8))), (short) 1));
    }

    private static List<String> partitionsOf(FetchResponse response) {
        List<String> names = new ArrayList<>();
        for (FetchResponseData.FetchableTopicResponse topic : response.data().responses()) {
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                names.add(topic.topic() + "-" + partition.partitionIndex());
            }
        }
        return names;
    }

    private static List<String> recordsByPartition(FetchResponse response) {
        List<String> entries = new ArrayList<>();
        for (FetchResponseData.FetchableTopicResponse topic : response.data().responses()) {
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                entries.add(topic.topic() + "-" + partition.partitionIndex() + "=" + String.join(",", values(partition)));
            }
        }
        return entries;
    }

    private static List<String> values(FetchResponseData.PartitionData partition) {
        List<String> values = new ArrayList<>();
        for (RecordBatch batch : ((MemoryRecords) partition.records()).batches()) {
            for (Record record : batch) {
                values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
            }
        }
        return values;
    }

    private static Properties producerProps(TestBroker broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return props;
    }

    private static Properties consumerProps(TestBroker broker) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 256);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return props;
    }
}
