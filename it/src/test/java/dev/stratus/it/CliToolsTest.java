package dev.stratus.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.it.support.Clients;
import dev.stratus.it.support.InProcessStratus;
import dev.stratus.it.support.KafkaCli;
import dev.stratus.it.support.KafkaCli.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own command-line tools (kafka-tools 4.x, and kafka-configs from Kafka's core jar) work
 * against Stratus unchanged; what they change is checked through an Admin client as well.
 */
class CliToolsTest {

    @TempDir
    static Path dataDir;

    private static InProcessStratus stratus;
    private static Admin admin;

    @BeforeAll
    static void startServer() throws Exception {
        stratus = InProcessStratus.start(dataDir, Map.of("auto.create.topics.enable", "false"));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stratus.bootstrapServers()));
    }

    @AfterAll
    static void stopServer() {
        if (admin != null) {
            admin.close();
        }
        if (stratus != null) {
            stratus.close();
        }
    }

    private static List<String> withBootstrap(String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", stratus.bootstrapServers()));
        all.addAll(List.of(args));
        return all;
    }

    @Test
    void kafkaTopicsCreatesListsDescribesAndDeletes() throws Exception {
        Result create = KafkaCli.run(KafkaCli.TOPICS, withBootstrap("--create", "--topic", "cli-topics",
                "--partitions", "3", "--replication-factor", "1"));
        assertThat(create.exitCode()).as(create.output()).isZero();
        assertThat(create.output()).contains("Created topic cli-topics.");

        Result list = KafkaCli.run(KafkaCli.TOPICS, withBootstrap("--list"));
        assertThat(list.output().lines()).contains("cli-topics");

        Result describe = KafkaCli.run(KafkaCli.TOPICS, withBootstrap("--describe", "--topic", "cli-topics"));
        assertThat(describe.exitCode()).as(describe.output()).isZero();
        assertThat(describe.output()).contains("PartitionCount: 3").contains("Partition: 2");

        Result duplicate = KafkaCli.run(KafkaCli.TOPICS, withBootstrap("--create", "--topic", "cli-topics",
                "--partitions", "1"));
        assertThat(duplicate.exitCode()).isNotZero();
        assertThat(duplicate.output()).contains("already exists");

        Result delete = KafkaCli.run(KafkaCli.TOPICS, withBootstrap("--delete", "--topic", "cli-topics"));
        assertThat(delete.exitCode()).as(delete.output()).isZero();
        assertThat(KafkaCli.run(KafkaCli.TOPICS, withBootstrap("--list")).output().lines()).doesNotContain("cli-topics");
    }

    @Test
    void consoleProducerAndConsumerRoundTripWithKeys() throws Exception {
        KafkaCli.run(KafkaCli.TOPICS, withBootstrap("--create", "--topic", "cli-console", "--partitions", "1"));
        String lines = IntStream.range(0, 50).mapToObj(i -> "k" + i + ":value-" + i).collect(Collectors.joining("\n")) + "\n";
        Result produce = KafkaCli.run(KafkaCli.CONSOLE_PRODUCER, withBootstrap("--topic", "cli-console",
                "--property", "parse.key=true", "--property", "key.separator=:"), lines, Duration.ofSeconds(60));
        assertThat(produce.exitCode()).as(produce.output()).isZero();

        Result consume = KafkaCli.run(KafkaCli.CONSOLE_CONSUMER, withBootstrap("--topic", "cli-console",
                "--partition", "0", "--offset", "earliest", "--max-messages", "50",
                "--property", "print.key=true", "--property", "key.separator=:"), null, Duration.ofSeconds(60));
        assertThat(consume.exitCode()).as(consume.output()).isZero();
        assertThat(consume.output().lines().filter(line -> line.startsWith("k")))
                .containsExactlyElementsOf(lines.lines().toList());
    }

    @Test
    void kafkaGetOffsetsPrintsEndOffsetsPerPartition() throws Exception {
        KafkaCli.run(KafkaCli.TOPICS, withBootstrap("--create", "--topic", "cli-offsets", "--partitions", "2"));
        KafkaCli.run(KafkaCli.CONSOLE_PRODUCER, withBootstrap("--topic", "cli-offsets"), "a\nb\nc\nd\n", Duration.ofSeconds(60));

        Result offsets = KafkaCli.run(KafkaCli.GET_OFFSETS, withBootstrap("--topic", "cli-offsets"));
        assertThat(offsets.exitCode()).as(offsets.output()).isZero();
        long total = offsets.output().lines().filter(line -> line.startsWith("cli-offsets:"))
                .mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(':') + 1)))
                .sum();
        assertThat(total).isEqualTo(4);

        Result earliest = KafkaCli.run(KafkaCli.GET_OFFSETS, withBootstrap("--topic", "cli-offsets", "--time", "earliest"));
        assertThat(earliest.output()).contains("cli-offsets:0:0").contains("cli-offsets:1:0");
    }

    @Test
    void kafkaTopicsAltersThePartitionCount() throws Exception {
        KafkaCli.run(KafkaCli.TOPICS, withBootstrap("--create", "--topic", "cli-alter", "--partitions", "1"));

        Result alter = KafkaCli.run(KafkaCli.TOPICS, withBootstrap("--alter", "--topic", "cli-alter", "--partitions", "4"));
        assertThat(alter.exitCode()).as(alter.output()).isZero();
        assertThat(KafkaCli.run(KafkaCli.TOPICS, withBootstrap("--describe", "--topic", "cli-alter")).output())
                .contains("PartitionCount: 4");

        Result shrink = KafkaCli.run(KafkaCli.TOPICS, withBootstrap("--alter", "--topic", "cli-alter", "--partitions", "2"));
        assertThat(shrink.exitCode()).isNotZero();
    }

    @Test
    void kafkaDeleteRecordsMovesTheLogStartOffset() throws Exception {
        KafkaCli.run(KafkaCli.TOPICS, withBootstrap("--create", "--topic", "cli-delete-records", "--partitions", "1"));
        KafkaCli.run(KafkaCli.CONSOLE_PRODUCER, withBootstrap("--topic", "cli-delete-records"),
                "1\n2\n3\n4\n5\n", Duration.ofSeconds(60));
        Path offsets = dataDir.resolve("delete-records.json");
        Files.writeString(offsets,
                "{\"partitions\":[{\"topic\":\"cli-delete-records\",\"partition\":0,\"offset\":3}],\"version\":1}");

        Result delete = KafkaCli.run(KafkaCli.DELETE_RECORDS, withBootstrap("--offset-json-file", offsets.toString()));
        assertThat(delete.exitCode()).as(delete.output()).isZero();
        assertThat(delete.output()).contains("low_watermark: 3");
        assertThat(KafkaCli.run(KafkaCli.GET_OFFSETS, withBootstrap("--topic", "cli-delete-records", "--time", "earliest"))
                .output()).contains("cli-delete-records:0:3");
    }

    @Test
    void kafkaConsumerGroupsListsDescribesResetsAndDeletes() throws Exception {
        KafkaCli.run(KafkaCli.TOPICS, withBootstrap("--create", "--topic", "cli-groups", "--partitions", "2"));
        KafkaCli.run(KafkaCli.CONSOLE_PRODUCER, withBootstrap("--topic", "cli-groups"), "a\nb\nc\nd\ne\nf\n",
                Duration.ofSeconds(60));
        Result consume = KafkaCli.run(KafkaCli.CONSOLE_CONSUMER, withBootstrap("--topic", "cli-groups",
                "--group", "cli-group", "--from-beginning", "--max-messages", "6"), null, Duration.ofSeconds(90));
        assertThat(consume.exitCode()).as(consume.output()).isZero();

        Result list = KafkaCli.run(KafkaCli.CONSUMER_GROUPS, withBootstrap("--list"));
        assertThat(list.output().lines()).contains("cli-group");

        Result describe = KafkaCli.run(KafkaCli.CONSUMER_GROUPS, withBootstrap("--describe", "--group", "cli-group"));
        assertThat(describe.exitCode()).as(describe.output()).isZero();
        assertThat(describe.output()).contains("cli-groups");
        long committed = describe.output().lines().filter(line -> line.contains("cli-groups"))
                .mapToLong(line -> Long.parseLong(line.trim().split("\\s+")[3]))
                .sum();
        assertThat(committed).as(describe.output()).isEqualTo(6);

        Result reset = KafkaCli.run(KafkaCli.CONSUMER_GROUPS, withBootstrap("--reset-offsets", "--group", "cli-group",
                "--topic", "cli-groups", "--to-earliest", "--execute"));
        assertThat(reset.exitCode()).as(reset.output()).isZero();
        long afterReset = KafkaCli.run(KafkaCli.CONSUMER_GROUPS, withBootstrap("--describe", "--group", "cli-group"))
                .output().lines().filter(line -> line.contains("cli-groups"))
                .mapToLong(line -> Long.parseLong(line.trim().split("\\s+")[3]))
                .sum();
        assertThat(afterReset).isZero();
        assertThat(committed("cli-group")).as("committed offsets after --to-earliest")
                .isEqualTo(offsets("cli-groups", 2, OffsetSpec.earliest()));

        Result toDatetime = KafkaCli.run(KafkaCli.CONSUMER_GROUPS, withBootstrap("--reset-offsets", "--group", "cli-group",
                "--topic", "cli-groups", "--to-datetime", "2100-01-01T00:00:00.000", "--execute"));
        assertThat(toDatetime.exitCode()).as(toDatetime.output()).isZero();
        Map<TopicPartition, Long> logEnd = offsets("cli-groups", 2, OffsetSpec.latest());
        assertThat(logEnd.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(6);
        assertThat(committed("cli-group")).as("committed offsets after --to-datetime in the future: the log end")
                .isEqualTo(logEnd);

        Result delete = KafkaCli.run(KafkaCli.CONSUMER_GROUPS, withBootstrap("--delete", "--group", "cli-group"));
        assertThat(delete.exitCode()).as(delete.output()).isZero();
        assertThat(KafkaCli.run(KafkaCli.CONSUMER_GROUPS, withBootstrap("--list")).output().lines())
                .doesNotContain("cli-group");
    }

    @Test
    void kafkaConsumerGroupsResetToEarliestMovesOffsetsToTheLogStartNotToZero() throws Exception {
        createTopic("cli-reset-earliest", 2);
        produce("cli-reset-earliest", 2, 4);   // offsets 0..3 in both partitions
        admin.deleteRecords(Map.of(new TopicPartition("cli-reset-earliest", 0), RecordsToDelete.beforeOffset(3)))
                .all().get();
        admin.alterConsumerGroupOffsets("cli-reset-group", Map.of(
                new TopicPartition("cli-reset-earliest", 0), new OffsetAndMetadata(4),
                new TopicPartition("cli-reset-earliest", 1), new OffsetAndMetadata(2))).all().get();

        Result reset = KafkaCli.run(KafkaCli.CONSUMER_GROUPS, withBootstrap("--reset-offsets", "--group", "cli-reset-group",
                "--topic", "cli-reset-earliest", "--to-earliest", "--execute"));
        assertThat(reset.exitCode()).as(reset.output()).isZero();
        assertThat(committed("cli-reset-group")).as(reset.output()).isEqualTo(Map.of(
                new TopicPartition("cli-reset-earliest", 0), 3L,
                new TopicPartition("cli-reset-earliest", 1), 0L));
    }

    @Test
    void kafkaConfigsAddsTopicConfigsThatDescribeShows() throws Exception {
        createTopic("cli-configs-add", 1);

        Result alter = KafkaCli.run(KafkaCli.CONFIGS, withBootstrap("--entity-type", "topics", "--entity-name",
                "cli-configs-add", "--alter", "--add-config", "retention.ms=3600000,max.message.bytes=65536"));
        assertThat(alter.exitCode()).as(alter.output()).isZero();
        assertThat(alter.output()).contains("Completed updating config for topic cli-configs-add.");

        Result describe = KafkaCli.run(KafkaCli.CONFIGS, withBootstrap("--entity-type", "topics", "--entity-name",
                "cli-configs-add", "--describe"));
        assertThat(describe.exitCode()).as(describe.output()).isZero();
        assertThat(describe.output()).contains("Dynamic configs for topic cli-configs-add are:")
                .contains("retention.ms=3600000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=3600000")
                .contains("max.message.bytes=65536 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:max.message.bytes=65536");

        Config config = topicConfig("cli-configs-add");
        assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("max.message.bytes").value()).isEqualTo("65536");
        assertThat(config.get("max.message.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }

    @Test
    void kafkaConfigsDeleteConfigRevertsATopicConfigToTheBrokerDefault() throws Exception {
        createTopic("cli-configs-delete", 1);
        Result alter = KafkaCli.run(KafkaCli.CONFIGS, withBootstrap("--entity-type", "topics", "--entity-name",
                "cli-configs-delete", "--alter", "--add-config", "retention.ms=3600000,max.message.bytes=65536"));
        assertThat(alter.exitCode()).as(alter.output()).isZero();

        Result delete = KafkaCli.run(KafkaCli.CONFIGS, withBootstrap("--entity-type", "topics", "--entity-name",
                "cli-configs-delete", "--alter", "--delete-config", "retention.ms"));
        assertThat(delete.exitCode()).as(delete.output()).isZero();

        Result describe = KafkaCli.run(KafkaCli.CONFIGS, withBootstrap("--entity-type", "topics", "--entity-name",
                "cli-configs-delete", "--describe"));
        assertThat(describe.exitCode()).as(describe.output()).isZero();
        assertThat(describe.output()).doesNotContain("retention.ms=")
                .contains("max.message.bytes=65536 sensitive=false");

        Config config = topicConfig("cli-configs-delete");
        assertThat(config.get("retention.ms").value()).isEqualTo("604800000");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("max.message.bytes").value()).isEqualTo("65536");
    }

    @Test
    void kafkaConfigsRejectsAnInvalidTopicConfigValue() throws Exception {
        createTopic("cli-configs-invalid", 1);

        Result alter = KafkaCli.run(KafkaCli.CONFIGS, withBootstrap("--entity-type", "topics", "--entity-name",
                "cli-configs-invalid", "--alter", "--add-config", "retention.ms=soon"));
        assertThat(alter.exitCode()).as(alter.output()).isNotZero();
        assertThat(alter.output()).contains("InvalidConfigurationException");
        assertThat(topicConfig("cli-configs-invalid").get("retention.ms").source())
                .isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void kafkaConfigsDescribesAllOfABrokersConfigs() throws Exception {
        Result describe = KafkaCli.run(KafkaCli.CONFIGS, withBootstrap("--entity-type", "brokers", "--entity-name", "1",
                "--describe", "--all"));
        assertThat(describe.exitCode()).as(describe.output()).isZero();
        assertThat(describe.output()).contains("All configs for broker 1 are:")
                .contains("auto.create.topics.enable=false sensitive=false synonyms={STATIC_BROKER_CONFIG:auto.create.topics.enable=false}")
                .contains("log.retention.ms=604800000 sensitive=false synonyms={DEFAULT_CONFIG:log.retention.ms=604800000}");

        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
        assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
        assertThat(config.get("auto.create.topics.enable").source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(config.get("log.retention.ms").value()).isEqualTo("604800000");
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }

    /** Writes {@code perPartition} records to each partition of {@code topic}. */
    private static void produce(String topic, int partitions, int perPartition) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(stratus.bootstrapServers(), Map.of())) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(topic, p, null, ("r" + i).getBytes(StandardCharsets.UTF_8))).get();
                }
            }
        }
    }

    private static Config topicConfig(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }

    private static Map<TopicPartition, Long> committed(String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static Map<TopicPartition, Long> offsets(String topic, int partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = IntStream.range(0, partitions).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> spec));
        return admin.listOffsets(request).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
