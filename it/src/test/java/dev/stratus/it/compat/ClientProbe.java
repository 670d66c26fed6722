package dev.stratus.it.compat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * A small Kafka client program run in a JVM of its own by {@code ClientVersionsTest}, with
 * whichever kafka-clients jar the test puts on its class path. In order: Admin creates and
 * describes a topic; alters its configs with incrementalAlterConfigs (set, then delete) and reads
 * them back with describeConfigs; adds a partition with createPartitions and sees it in
 * describeTopics; an idempotent producer writes to every partition and a consumer reads
 * everything back; deleteRecords moves a partition's log start, which listOffsets(earliest)
 * reports; a consumer group commits offsets, which listConsumerGroups, describeConsumerGroups
 * (one member holding every partition) and listConsumerGroupOffsets report, and
 * deleteConsumerGroups removes the group once it is empty; Admin deletes the topic.
 *
 * <p>Prints {@code OK <step>} after each step and {@code PROBE OK <client version>} at the end,
 * exit code 0; on the first mismatch or error prints {@code PROBE FAILED <client version> at
 * <step>: <what>} and exits 1. Uses only API that both 3.9 and 4.x clients have.
 */
public final class ClientProbe {

    private static final int RECORDS = 1_000;
    private static final int PARTITIONS = 2;
    private static final int PARTITIONS_AFTER_GROWTH = 3;
    private static final long DELETE_BEFORE = 100;

    private static String step = "start";

    private ClientProbe() {
    }

    public static void main(String[] args) {
        try {
            run(args[0], args[1]);
        } catch (Exception | AssertionError e) {
            System.out.println("PROBE FAILED " + AppInfoParser.getVersion() + " at " + step + ": " + e);
            e.printStackTrace(System.out);
            System.exit(1);
        }
        System.out.println("PROBE OK " + AppInfoParser.getVersion());
    }

    private static void run(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            step("createTopics and describeTopics");
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
            check(partitionCount(admin, topic) == PARTITIONS, "topic has " + PARTITIONS + " partitions");

            step("incrementalAlterConfigs and describeConfigs");
            alterAndDescribeConfigs(admin, topic);

            step("createPartitions");
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(PARTITIONS_AFTER_GROWTH))).all().get();
            int partitions = partitionCount(admin, topic);
            check(partitions == PARTITIONS_AFTER_GROWTH,
                    "describeTopics after createPartitions: " + partitions + " partitions, expected " + PARTITIONS_AFTER_GROWTH);

            List<TopicPartition> topicPartitions = IntStream.range(0, PARTITIONS_AFTER_GROWTH)
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            step("produce and consume");
            produce(bootstrap, topic);
            consumeAll(bootstrap, topicPartitions);

            step("deleteRecords and listOffsets");
            deleteRecordsAndListOffsets(admin, new TopicPartition(topic, 0));

            step("consumer group offsets, listConsumerGroups, describeConsumerGroups, deleteConsumerGroups");
            consumerGroup(admin, bootstrap, topic + "-group", topic, topicPartitions);

            step("deleteTopics");
            admin.deleteTopics(Set.of(topic)).all().get();
            step("done");
        }
    }

    private static void alterAndDescribeConfigs(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "86400000"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("max.message.bytes", "500000"), AlterConfigOp.OpType.SET)))).all().get();
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        checkEntry(config, "retention.ms", "86400000", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        checkEntry(config, "max.message.bytes", "500000", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);

        admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", ""), AlterConfigOp.OpType.DELETE)))).all().get();
        config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        checkEntry(config, "retention.ms", "604800000", ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        checkEntry(config, "max.message.bytes", "500000", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }

    private static void produce(String bootstrap, String topic) throws Exception {
        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, i % PARTITIONS_AFTER_GROWTH, "key-" + i, "value-" + i)));
            }
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        }
    }

    private static void consumeAll(String bootstrap, List<TopicPartition> partitions) {
        Map<String, Object> consumerConfig = new HashMap<>();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        int read = 0;
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read < RECORDS && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    String index = record.key().substring("key-".length());
                    check(record.value().equals("value-" + index), "value of " + record.key() + ": " + record.value());
                    check(record.partition() == Integer.parseInt(index) % partitions.size(),
                            record.key() + " read from partition " + record.partition());
                    read++;
                }
            }
        }
        check(read == RECORDS, "read " + read + " of " + RECORDS + " records");
    }

    private static void deleteRecordsAndListOffsets(Admin admin, TopicPartition partition) throws Exception {
        long lowWatermark = admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(DELETE_BEFORE)))
                .lowWatermarks().get(partition).get().lowWatermark();
        check(lowWatermark == DELETE_BEFORE, "deleteRecords low watermark " + lowWatermark + ", expected " + DELETE_BEFORE);
        long earliest = admin.listOffsets(Map.of(partition, OffsetSpec.earliest())).all().get().get(partition).offset();
        check(earliest == DELETE_BEFORE, "listOffsets earliest after deleteRecords: " + earliest + ", expected " + DELETE_BEFORE);
        long latest = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition).offset();
        long written = (RECORDS + PARTITIONS_AFTER_GROWTH - 1) / PARTITIONS_AFTER_GROWTH;
        check(latest == written, "listOffsets latest after deleteRecords: " + latest + ", expected " + written);
    }

    /**
     * A group member reads part of the topic and commits its positions; while it is in the group
     * Admin lists and describes the group and its offsets; once it has left, Admin deletes the group.
     */
    private static void consumerGroup(Admin admin, String bootstrap, String group, String topic,
                                      List<TopicPartition> partitions) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        Map<TopicPartition, Long> positions = new HashMap<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            int read = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((read < 200 || consumer.assignment().size() < partitions.size()) && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            check(read >= 200, "the group member read " + read + " records, expected at least 200");
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            for (TopicPartition partition : consumer.assignment()) {
                positions.put(partition, consumer.position(partition));
                commit.put(partition, new OffsetAndMetadata(consumer.position(partition)));
            }
            consumer.commitSync(commit);
            check(positions.keySet().equals(Set.copyOf(partitions)), "the only member is assigned " + positions.keySet());
            check(positions.get(partitions.get(0)) >= DELETE_BEFORE,
                    "the group starts at the log start: position of partition 0 is " + positions.get(partitions.get(0)));

            Map<TopicPartition, Long> committed = committedOffsets(admin, group);
            check(committed.equals(positions), "listConsumerGroupOffsets " + committed + ", expected " + positions);
            check(groupIds(admin).contains(group), "listConsumerGroups " + groupIds(admin) + " contains " + group);
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            Collection<MemberDescription> members = description.members();
            check(description.groupId().equals(group) && members.size() == 1,
                    "describeConsumerGroups shows one member: " + description);
            Set<TopicPartition> assigned = members.iterator().next().assignment().topicPartitions();
            check(assigned.equals(Set.copyOf(partitions)), "describeConsumerGroups assignment " + assigned);
        }

        // The member has left: the group is empty, its offsets stay until the group is deleted.
        Map<TopicPartition, Long> committed = committedOffsets(admin, group);
        check(committed.equals(positions), "listConsumerGroupOffsets after the member left " + committed);
        admin.deleteConsumerGroups(List.of(group)).all().get();
        check(!groupIds(admin).contains(group), "listConsumerGroups after deleteConsumerGroups: " + groupIds(admin));
        check(committedOffsets(admin, group).isEmpty(),
                "listConsumerGroupOffsets after deleteConsumerGroups: " + committedOffsets(admin, group));
    }

    private static int partitionCount(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
        return description.partitions().size();
    }

    private static Map<TopicPartition, Long> committedOffsets(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** listConsumerGroups: deprecated in 4.1 for listGroups, which 3.9 does not have. */
    @SuppressWarnings({"deprecation", "removal"})
    private static Set<String> groupIds(Admin admin) throws Exception {
        return admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId).collect(Collectors.toSet());
    }

    private static void checkEntry(Config config, String name, String value, ConfigEntry.ConfigSource source) {
        ConfigEntry entry = config.get(name);
        check(entry != null, "describeConfigs has " + name);
        check(entry.value().equals(value) && entry.source() == source,
                "describeConfigs " + name + "=" + entry.value() + " (" + entry.source() + "), expected " + value + " (" + source + ")");
    }

    private static void step(String name) {
        if (!step.equals("start")) {
            System.out.println("OK " + step);
        }
        step = name;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("check failed: " + what);
        }
    }
}
