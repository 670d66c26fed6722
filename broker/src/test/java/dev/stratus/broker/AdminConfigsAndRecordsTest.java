package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stratus.broker.testing.RawKafkaClient;
import dev.stratus.broker.testing.Requests;
import dev.stratus.broker.testing.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Topic configs, partitions, records and cluster APIs through Kafka's own Admin, producer and consumer. */
class AdminConfigsAndRecordsTest {

    private static TestBroker broker;
    private static Admin admin;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stop() {
        producer.close();
        admin.close();
        broker.close();
    }

    private static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    private static Config describe(String name) throws Exception {
        return admin.describeConfigs(List.of(topic(name)), new DescribeConfigsOptions().includeSynonyms(true))
                .all().get().get(topic(name));
    }

    private static void create(String name, int partitions, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
    }

    private static void assertCause(ThrowingRunnable action, Class<? extends Throwable> type) {
        assertThatThrownBy(action::run).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(type);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void topicConfigsAreDescribedWithSourcesAndSynonyms() throws Exception {
        create("described-configs", 1, Map.of("retention.ms", "60000"));
        Config config = describe("described-configs");

        ConfigEntry retention = config.get("retention.ms");
        assertThat(retention.value()).isEqualTo("60000");
        assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(retention.synonyms()).extracting(ConfigEntry.ConfigSynonym::name).containsExactly("retention.ms", "log.retention.ms");
        ConfigEntry maxBytes = config.get("max.message.bytes");
        assertThat(maxBytes.value()).isEqualTo("1048588");
        assertThat(maxBytes.source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(maxBytes.type()).isEqualTo(ConfigEntry.ConfigType.INT);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
        assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
    }

    @Test
    void incrementalAndLegacyAlterationsChangeConfigsAndValidateOnlyDoesNot() throws Exception {
        create("altered-configs", 1, Map.of());
        ConfigResource resource = topic("altered-configs");

        admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.bytes", "1000"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND)))).all().get();
        assertThat(describe("altered-configs").get("retention.bytes").value()).isEqualTo("1000");
        assertThat(describe("altered-configs").get("cleanup.policy").value()).isEqualTo("delete,compact");

        admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.bytes", "5"), AlterConfigOp.OpType.SET))),
                new AlterConfigsOptions().validateOnly(true)).all().get();
        assertThat(describe("altered-configs").get("retention.bytes").value()).isEqualTo("1000");

        admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.bytes", null), AlterConfigOp.OpType.DELETE)))).all().get();
        assertThat(describe("altered-configs").get("retention.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void invalidConfigsAreRefusedWithInvalidConfigAndChangeNothing() throws Exception {
        create("guarded-configs", 1, Map.of("retention.ms", "1000"));
        ConfigResource resource = topic("guarded-configs");

        assertCause(() -> admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "soon"), AlterConfigOp.OpType.SET)))).all().get(),
                InvalidConfigurationException.class);
        assertCause(() -> admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("no.such.config", "1"), AlterConfigOp.OpType.SET)))).all().get(),
                InvalidConfigurationException.class);
        assertCause(() -> admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.BROKER, "1"), List.of(
                new AlterConfigOp(new ConfigEntry("log.retention.ms", "1"), AlterConfigOp.OpType.SET)))).all().get(),
                InvalidConfigurationException.class);
        assertThat(describe("guarded-configs").get("retention.ms").value()).isEqualTo("1000");
    }

    @Test
    void createTopicsWithAnInvalidConfigIsRefusedAndCreatesNothing() throws Exception {
        assertCause(() -> create("badly-configured", 1, Map.of("cleanup.policy", "shred")), InvalidConfigurationException.class);
        assertCause(() -> create("unknown-configured", 1, Map.of("retention.forever", "yes")), InvalidConfigurationException.class);
        assertThat(admin.listTopics().names().get()).doesNotContain("badly-configured", "unknown-configured");
    }

    @Test
    void brokerConfigsAreDescribedAndClusterHasThisNode() throws Exception {
        ConfigResource brokerResource = new ConfigResource(ConfigResource.Type.BROKER, "1");
        Config config = admin.describeConfigs(List.of(brokerResource)).all().get().get(brokerResource);
        assertThat(config.get("log.retention.ms").value()).isEqualTo("604800000");
        assertThat(config.get("message.max.bytes").value()).isEqualTo("1048588");

        DescribeClusterResult cluster = admin.describeCluster();
        assertThat(cluster.clusterId().get()).isEqualTo("test-cluster");
        assertThat(cluster.nodes().get()).extracting(n -> n.id()).containsExactly(1);
        assertThat(cluster.controller().get().id()).isEqualTo(1);
    }

    @Test
    void createPartitionsAddsPartitionsThatTakeRecords() throws Exception {
        create("growing", 1, Map.of());
        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3)), new CreatePartitionsOptions().validateOnly(true)).all().get();
        assertThat(admin.describeTopics(List.of("growing")).allTopicNames().get().get("growing").partitions()).hasSize(1);

        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3))).all().get();
        assertThat(admin.describeTopics(List.of("growing")).allTopicNames().get().get("growing").partitions()).hasSize(3);
        RecordMetadata written = producer.send(new ProducerRecord<>("growing", 2, "k", "v")).get();
        assertThat(written.partition()).isEqualTo(2);
        assertCause(() -> admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(2))).all().get(),
                InvalidPartitionsException.class);
    }

    @Test
    void deleteRecordsMovesTheLogStartAndConsumersFromEarliestStartThere() throws Exception {
        create("trimmed", 1, Map.of());
        for (int i = 0; i < 10; i++) {
            producer.send(new ProducerRecord<>("trimmed", 0, "k", "v" + i)).get();
        }
        TopicPartition tp = new TopicPartition("trimmed", 0);
        long low = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(4))).lowWatermarks().get(tp).get().lowWatermark();
        assertThat(low).isEqualTo(4);

        assertCause(() -> admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(11))).all().get(),
                OffsetOutOfRangeException.class);
        assertThat(admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.earliest())).all().get()
                .get(tp).offset()).isEqualTo(4);

        try (KafkaConsumer<String, String> consumer = consumer("earliest")) {
            consumer.assign(List.of(tp));
            List<ConsumerRecord<String, String>> records = poll(consumer, 6);
            assertThat(records.get(0).offset()).isEqualTo(4);
            assertThat(records.get(0).value()).isEqualTo("v4");
        }
        try (KafkaConsumer<String, String> consumer = consumer("earliest")) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 1);
            List<ConsumerRecord<String, String>> records = poll(consumer, 6);
            assertThat(records.get(0).offset()).isEqualTo(4);
        }
    }

    @Test
    void retentionTrimsByTimeAndBySize() throws Exception {
        create("retained-by-size", 1, Map.of("retention.bytes", "1"));
        create("retained-by-time", 1, Map.of("retention.ms", "60000"));
        for (int i = 0; i < 5; i++) {
            producer.send(new ProducerRecord<>("retained-by-size", 0, "k", "v" + i)).get();
            producer.send(new ProducerRecord<>("retained-by-time", 0, System.currentTimeMillis() - 120_000, "k", "old" + i)).get();
        }
        producer.send(new ProducerRecord<>("retained-by-time", 0, "k", "new")).get();
        TopicPartition bySize = new TopicPartition("retained-by-size", 0);
        TopicPartition byTime = new TopicPartition("retained-by-time", 0);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            broker.broker.retention().runOnce().get();
            Map<TopicPartition, org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo> earliest =
                    admin.listOffsets(Map.of(bySize, org.apache.kafka.clients.admin.OffsetSpec.earliest(),
                            byTime, org.apache.kafka.clients.admin.OffsetSpec.earliest())).all().get();
            assertThat(earliest.get(bySize).offset()).isEqualTo(4);
            assertThat(earliest.get(byTime).offset()).isEqualTo(5);
        });
    }

    @Test
    void logAppendTimeIsStampedByTheBrokerAndSeenByConsumers() throws Exception {
        create("stamped", 1, Map.of("message.timestamp.type", "LogAppendTime"));
        long before = System.currentTimeMillis();
        RecordMetadata written = producer.send(new ProducerRecord<>("stamped", 0, 1_000L, "k", "v")).get();
        assertThat(written.timestamp()).isGreaterThanOrEqualTo(before);

        try (KafkaConsumer<String, String> consumer = consumer("earliest")) {
            consumer.assign(List.of(new TopicPartition("stamped", 0)));
            ConsumerRecord<String, String> record = poll(consumer, 1).get(0);
            assertThat(record.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            assertThat(record.timestamp()).isGreaterThanOrEqualTo(before);
            assertThat(record.value()).isEqualTo("v");
        }
    }

    @Test
    void maxMessageBytesOfATopicRefusesLargerBatches() throws Exception {
        create("small-messages", 1, Map.of("max.message.bytes", "200"));
        producer.send(new ProducerRecord<>("small-messages", 0, "k", "v")).get();
        assertCause(() -> producer.send(new ProducerRecord<>("small-messages", 0, "k", "x".repeat(500))).get(),
                RecordTooLargeException.class);
    }

    @Test
    void logDirsProducersAndLeaderEpochsAreDescribed() throws Exception {
        create("described-log", 1, Map.of());
        KafkaProducer<String, String> idempotent = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrap(), ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new StringSerializer());
        try (idempotent) {
            idempotent.send(new ProducerRecord<>("described-log", 0, "k", "v")).get();
        }
        TopicPartition tp = new TopicPartition("described-log", 0);
        var dirs = admin.describeLogDirs(List.of(1)).allDescriptions().get().get(1);
        var replica = dirs.values().iterator().next().replicaInfos().get(tp);
        assertThat(replica.size()).isGreaterThan(0);

        Collection<ProducerState> producers = admin.describeProducers(List.of(tp)).all().get().get(tp).activeProducers();
        assertThat(producers).hasSize(1);
        assertThat(producers.iterator().next().lastSequence()).isEqualTo(0);

        assertThat(admin.electLeaders(org.apache.kafka.common.ElectionType.PREFERRED, null).partitions().get()).isEmpty();
    }

    @Test
    void legacyAlterConfigsReplacesEveryDynamicConfigAndValidateOnlyChangesNothing() throws Exception {
        create("replaced-configs", 1, Map.of("retention.ms", "60000", "retention.bytes", "1000"));
        ConfigResource resource = topic("replaced-configs");
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            AlterConfigsResponse dryRun = client.roundTrip(new AlterConfigsRequest.Builder(Map.of(resource,
                    new AlterConfigsRequest.Config(List.of(new AlterConfigsRequest.ConfigEntry("max.message.bytes", "5000")))),
                    true).build((short) 2));
            assertThat(dryRun.errors().get(resource).error()).isEqualTo(Errors.NONE);
            assertThat(describe("replaced-configs").get("retention.ms").value()).isEqualTo("60000");
            assertThat(describe("replaced-configs").get("max.message.bytes").source())
                    .isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

            AlterConfigsResponse replaced = client.roundTrip(new AlterConfigsRequest.Builder(Map.of(resource,
                    new AlterConfigsRequest.Config(List.of(new AlterConfigsRequest.ConfigEntry("max.message.bytes", "5000")))),
                    false).build((short) 2));
            assertThat(replaced.errors().get(resource).error()).isEqualTo(Errors.NONE);
        }
        Config config = describe("replaced-configs");
        assertThat(config.get("max.message.bytes").value()).isEqualTo("5000");
        // Legacy AlterConfigs sets the whole dynamic config: keys it does not name return to their defaults.
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("retention.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void legacyAlterConfigsWithABadValueIsInvalidConfigAndChangesNothing() throws Exception {
        create("legacy-guarded", 1, Map.of("retention.ms", "60000"));
        ConfigResource resource = topic("legacy-guarded");
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            AlterConfigsResponse refused = client.roundTrip(new AlterConfigsRequest.Builder(Map.of(resource,
                    new AlterConfigsRequest.Config(List.of(new AlterConfigsRequest.ConfigEntry("retention.ms", "soon")))),
                    false).build((short) 2));
            assertThat(refused.errors().get(resource).error()).isEqualTo(Errors.INVALID_CONFIG);
        }
        assertThat(describe("legacy-guarded").get("retention.ms").value()).isEqualTo("60000");
    }

    @Test
    void aFetchBelowTheLogStartIsOffsetOutOfRangeAndNamesTheLogStart() throws Exception {
        trimmedTopic("trimmed-raw");
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            FetchResponse response = client.roundTrip(Requests.fetch("trimmed-raw", 0, 1, 1, 0));
            FetchResponseData.PartitionData partition = response.data().responses().get(0).partitions().get(0);
            assertThat(partition.errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
            assertThat(partition.logStartOffset()).isEqualTo(4);
            assertThat(partition.highWatermark()).isEqualTo(10);
        }
    }

    @Test
    void aConsumerBelowTheLogStartWithResetLatestJumpsToTheEnd() throws Exception {
        TopicPartition tp = trimmedTopic("trimmed-latest");
        try (KafkaConsumer<String, String> consumer = consumer("latest")) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 1);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(100));
                assertThat(consumer.position(tp)).isEqualTo(10);
            });
            producer.send(new ProducerRecord<>("trimmed-latest", 0, "k", "after")).get();
            assertThat(poll(consumer, 1).get(0).value()).isEqualTo("after");
        }
    }

    @Test
    void aConsumerBelowTheLogStartWithResetNoneGetsOffsetOutOfRange() throws Exception {
        TopicPartition tp = trimmedTopic("trimmed-none");
        try (KafkaConsumer<String, String> consumer = consumer("none")) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 1);
            assertThatThrownBy(() -> {
                long deadline = System.currentTimeMillis() + 10_000;
                while (System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(100));
                }
            }).isInstanceOf(org.apache.kafka.clients.consumer.OffsetOutOfRangeException.class);
        }
    }

    @Test
    void electLeadersForNamedPartitionsIsNotNeededOrUnknown() throws Exception {
        create("elected", 2, Map.of());
        TopicPartition known = new TopicPartition("elected", 1);
        TopicPartition missing = new TopicPartition("elected", 7);
        Map<TopicPartition, java.util.Optional<Throwable>> results = admin.electLeaders(
                org.apache.kafka.common.ElectionType.PREFERRED, java.util.Set.of(known, missing)).partitions().get();
        assertThat(results.get(known)).containsInstanceOf(org.apache.kafka.common.errors.ElectionNotNeededException.class);
        assertThat(results.get(missing)).containsInstanceOf(org.apache.kafka.common.errors.UnknownTopicOrPartitionException.class);
    }

    @Test
    void describeLogDirsReportsBytesThatGrowWithWhatIsProduced() throws Exception {
        create("sized-log", 1, Map.of());
        TopicPartition tp = new TopicPartition("sized-log", 0);
        producer.send(new ProducerRecord<>("sized-log", 0, "k", "x".repeat(1000))).get();
        long before = logSize(tp);
        producer.send(new ProducerRecord<>("sized-log", 0, "k", "y".repeat(5000))).get();
        long after = logSize(tp);
        assertThat(before).isGreaterThanOrEqualTo(1000);
        // The second batch holds 5000 value bytes (uncompressed) plus its headers.
        assertThat(after - before).isBetween(5000L, 5200L);
    }

    private static long logSize(TopicPartition tp) throws Exception {
        var dirs = admin.describeLogDirs(List.of(1)).allDescriptions().get().get(1);
        return dirs.values().iterator().next().replicaInfos().get(tp).size();
    }

    /** A one-partition topic holding offsets 0-9 whose first four records were deleted: log start 4, end 10. */
    private static TopicPartition trimmedTopic(String name) throws Exception {
        create(name, 1, Map.of());
        for (int i = 0; i < 10; i++) {
            producer.send(new ProducerRecord<>(name, 0, "k", "v" + i)).get();
        }
        TopicPartition tp = new TopicPartition(name, 0);
        admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(4))).all().get();
        return tp;
    }

    private static KafkaConsumer<String, String> consumer(String reset) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static List<ConsumerRecord<String, String>> poll(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 10_000;
        while (records.size() < count && System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        assertThat(records).hasSizeGreaterThanOrEqualTo(count);
        return records;
    }
}
