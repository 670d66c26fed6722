package dev.stratus.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stratus.it.support.ClusterNode;
import dev.stratus.it.support.KafkaCli;
import dev.stratus.it.support.RawKafkaConnection;
import dev.stratus.it.support.StratusCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three controllers and three brokers, each its own process, sharing one object store: topics
 * spread over every broker, idempotent producers and group consumers work across them, the
 * quorum survives the SIGKILL of its leader, a broker frozen past its session is fenced and
 * comes back with a new registration, and the metadata survives a full cluster restart. One
 * cluster for the class; the tests run in order and each leaves the cluster whole.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

    private static final int PARTITIONS = 6;

    private StratusCluster cluster;

    @BeforeAll
    void startCluster(@TempDir Path dir) throws Exception {
        cluster = StratusCluster.start(dir, 3, 3);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.keepLogs(Path.of("target", "cluster-logs"));
            cluster.close();
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000));
    }

    private KafkaProducer<String, String> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer(String group) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private void createTopic(String topic) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
    }

    /** Sends {@code count} records, keyed so they spread over the partitions; returns their values. */
    private Set<String> produce(String topic, String prefix, int count) throws Exception {
        Set<String> sent = new HashSet<>();
        try (KafkaProducer<String, String> producer = producer()) {
            List<Future<?>> acks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String value = prefix + "-" + i;
                acks.add(producer.send(new ProducerRecord<>(topic, "k" + i, value)));
                sent.add(value);
            }
            for (Future<?> ack : acks) {
                ack.get();
            }
        }
        return sent;
    }

    /** Reads with two members of one group until every expected value has arrived; commits as it goes. */
    private Set<String> consumeWithGroup(String topic, String group, Set<String> expected) throws Exception {
        Set<String> read = ConcurrentHashMap.newKeySet();
        try (KafkaConsumer<String, String> first = consumer(group); KafkaConsumer<String, String> second = consumer(group)) {
            first.subscribe(List.of(topic));
            second.subscribe(List.of(topic));
            long deadline = System.nanoTime() + StratusCluster.patience().toNanos();
            while (!read.containsAll(expected) && System.nanoTime() < deadline) {
                for (KafkaConsumer<String, String> member : List.of(first, second)) {
                    for (ConsumerRecord<String, String> record : member.poll(Duration.ofMillis(200))) {
                        read.add(record.value());
                    }
                    member.commitSync();
                }
            }
        }
        return read;
    }

    private Map<Integer, Integer> leaders(String topic) throws Exception {
        try (Admin admin = admin()) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            Map<Integer, Integer> leaders = new HashMap<>();
            for (TopicPartitionInfo partition : description.partitions()) {
                leaders.put(partition.partition(), partition.leader() == null ? -1 : partition.leader().id());
            }
            return leaders;
        }
    }

    private static List<String> bulkNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            names.add("bulk-" + i);
        }
        return names;
    }

    private Set<Integer> liveBrokers() throws Exception {
        return liveBrokersAsSeenBy(cluster.bootstrapServers());
    }

    /** The brokers DescribeCluster lists, asked with short timeouts (a frozen broker never answers). */
    private Set<Integer> liveBrokersAsSeenBy(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000))) {
            return admin.describeCluster().nodes().get().stream().map(Node::id).collect(Collectors.toSet());
        } catch (java.util.concurrent.ExecutionException e) {
            return Set.of(-1);
        }
    }

    @Test
    @Order(1)
    void partitionsSpreadOverEveryBrokerAndProducersAndGroupConsumersWorkAcrossThem() throws Exception {
        // The last broker's registration reaches the others' images within about a second of its start.
        await().atMost(Duration.ofSeconds(10)).until(() -> liveBrokers().equals(Set.of(101, 102, 103)));
        createTopic("spread");

        assertThat(new HashSet<>(leaders("spread").values())).containsExactlyInAnyOrder(101, 102, 103);
        Set<String> sent = produce("spread", "a", 600);
        Set<String> read = consumeWithGroup("spread", "readers", sent);

        assertThat(read).containsAll(sent);
    }

    @Test
    @Order(2)
    void kafkasQuorumToolsDescribeTheQuorumAndTheCluster() throws Exception {
        await().atMost(StratusCluster.patience()).until(() -> cluster.leadingController() != null);
        int leader = cluster.leadingController().nodeId();
        try (Admin admin = admin()) {
            QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get();
            assertThat(quorum.leaderId()).isEqualTo(leader);
            assertThat(quorum.voters()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(quorum.observers()).extracting(QuorumInfo.ReplicaState::replicaId).contains(101, 102, 103);
            assertThat(quorum.highWatermark()).isPositive();
        }

        // DescribeCluster names the active controller.
        int brokerPort = Integer.parseInt(cluster.bootstrapServers().split(",")[0].split(":")[1]);
        try (RawKafkaConnection raw = new RawKafkaConnection(brokerPort)) {
            DescribeClusterResponse described = (DescribeClusterResponse) raw.send(new DescribeClusterRequest.Builder(
                    new DescribeClusterRequestData()).build((short) 1), (short) 1);
            assertThat(described.data().controllerId()).isEqualTo(leader);
        }

        KafkaCli.Result status = KafkaCli.run(KafkaCli.METADATA_QUORUM,
                List.of("--bootstrap-server", cluster.bootstrapServers(), "describe", "--status"));
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).contains("LeaderId:").contains("CurrentVoters:").contains("HighWatermark:");
        KafkaCli.Result replication = KafkaCli.run(KafkaCli.METADATA_QUORUM,
                List.of("--bootstrap-server", cluster.bootstrapServers(), "describe", "--replication"));
        assertThat(replication.exitCode()).as(replication.output()).isZero();
        assertThat(replication.output()).contains("Leader").contains("Follower").contains("Observer");
        KafkaCli.Result clusterId = KafkaCli.run(KafkaCli.CLUSTER, List.of("cluster-id", "--bootstrap-server",
                cluster.bootstrapServers()));
        assertThat(clusterId.output()).contains("StratusItCluster000000");
        KafkaCli.Result versions = KafkaCli.run(KafkaCli.BROKER_API_VERSIONS, List.of("--bootstrap-server",
                cluster.bootstrapServers()));
        assertThat(versions.exitCode()).as(versions.output()).isZero();
        assertThat(versions.output()).contains("(id: 101").contains("(id: 102").contains("(id: 103").contains("DescribeQuorum(55)");
    }

    @Test
    @Order(2)
    void kafkasQuorumToolsWorkAgainstTheControllersThemselves() throws Exception {
        await().atMost(StratusCluster.patience()).until(() -> cluster.leadingController() != null);
        int leader = cluster.leadingController().nodeId();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, cluster.bootstrapControllers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
            assertThat(admin.describeCluster().clusterId().get()).isEqualTo("StratusItCluster000000");
            assertThat(admin.describeCluster().controller().get().id()).isEqualTo(leader);
            assertThat(admin.describeCluster().nodes().get()).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);
            QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get();
            assertThat(quorum.leaderId()).isEqualTo(leader);
            assertThat(quorum.voters()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(quorum.observers()).extracting(QuorumInfo.ReplicaState::replicaId).contains(101, 102, 103);
        }

        KafkaCli.Result status = KafkaCli.run(KafkaCli.METADATA_QUORUM,
                List.of("--bootstrap-controller", cluster.bootstrapControllers(), "describe", "--status"));
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).contains("LeaderId:").contains("CurrentVoters:").contains("CONTROLLER://127.0.0.1:");
        KafkaCli.Result replication = KafkaCli.run(KafkaCli.METADATA_QUORUM,
                List.of("--bootstrap-controller", cluster.bootstrapControllers(), "describe", "--replication"));
        assertThat(replication.exitCode()).as(replication.output()).isZero();
        assertThat(replication.output()).contains("Leader").contains("Follower").contains("Observer");
        KafkaCli.Result clusterId = KafkaCli.run(KafkaCli.CLUSTER, List.of("cluster-id", "--bootstrap-controller",
                cluster.bootstrapControllers()));
        assertThat(clusterId.exitCode()).as(clusterId.output()).isZero();
        assertThat(clusterId.output()).contains("StratusItCluster000000");
    }

    @Test
    @Order(3)
    void killingTheControllerLeaderElectsAnotherAndEveryAcknowledgedRecordIsReadBack() throws Exception {
        createTopic("failover");
        await().atMost(StratusCluster.patience()).until(() -> cluster.leadingController() != null);
        ClusterNode leader = cluster.leadingController();
        Set<String> before = produce("failover", "before", 200);

        leader.kill();
        await().atMost(StratusCluster.patience()).until(() -> cluster.leadingController() != null);
        assertThat(cluster.leadingController().nodeId()).isNotEqualTo(leader.nodeId());
        // A change needs the new leader: a topic created, records produced to it.
        createTopic("after-failover");
        Set<String> after = produce("failover", "after", 200);
        Set<String> elsewhere = produce("after-failover", "x", 50);

        Set<String> expected = new HashSet<>(before);
        expected.addAll(after);
        assertThat(consumeWithGroup("failover", "failover-readers", expected)).containsAll(expected);
        assertThat(consumeWithGroup("after-failover", "x-readers", elsewhere)).containsAll(elsewhere);

        // While it is down the others move far ahead (snapshots, and the log before them purged):
        // the killed controller comes back and catches up from the leader's snapshot. With another
        // controller killed, the quorum of two still decides, which it cannot unless the restarted
        // one is current.
        try (Admin admin = admin()) {
            for (String name : bulkNames()) {
                admin.createTopics(List.of(new NewTopic(name, 40, (short) 1))).all().get();
            }
        }
        leader.start();
        await().atMost(StratusCluster.patience()).until(() -> leader.log().contains("install the entire snapshot"));
        try (Admin admin = admin()) {
            // The thousand partitions served their purpose; the next tests need a machine that is not busy with them.
            admin.deleteTopics(bulkNames()).all().get();
        }
        ClusterNode other = cluster.controllers().stream().filter(c -> c != leader && c.isAlive()).findFirst().orElseThrow();
        Thread.sleep(3_000);
        other.kill();
        createTopic("with-the-restarted-controller");
        assertThat(produce("with-the-restarted-controller", "y", 20)).hasSize(20);
        other.start();
    }

    @Test
    @Order(4)
    void aBrokerFrozenPastItsSessionTimeoutIsFencedAndRegistersAgainWhenItThaws() throws Exception {
        ClusterNode frozen = cluster.broker(103);
        String others = cluster.bootstrapServersWithout(103);
        frozen.pause();
        try {
            await().atMost(StratusCluster.patience()).until(() -> {
                Set<Integer> live = liveBrokersAsSeenBy(others);
                return live.containsAll(Set.of(101, 102)) && !live.contains(103);
            });
        } finally {
            frozen.resume();
        }

        await().atMost(StratusCluster.patience()).until(() -> liveBrokersAsSeenBy(others).contains(103));
        // The other brokers may see the new registration a moment before the thawed broker logs it.
        await().atMost(Duration.ofSeconds(10)).until(() -> frozen.log().contains("Broker 103 registered again with epoch"));
        assertThat(frozen.log()).contains("registration epoch 0 is fenced");
        createTopic("after-thaw");
        Set<String> sent = produce("after-thaw", "t", 300);
        assertThat(consumeWithGroup("after-thaw", "thaw-readers", sent)).containsAll(sent);
        // What the frozen broker had acknowledged before it was fenced is still all there.
        Set<String> spread = new HashSet<>();
        for (int i = 0; i < 600; i++) {
            spread.add("a-" + i);
        }
        assertThat(consumeWithGroup("spread", "after-thaw-readers", spread)).containsAll(spread);
    }

    @Test
    @Order(5)
    void topicsAndRecordsSurviveAFullClusterRestart() throws Exception {
        createTopic("durable");
        Set<String> sent = produce("durable", "d", 300);
        Map<Integer, Integer> leadersBefore = leaders("durable");

        cluster.killAll();
        cluster.startStopped();

        assertThat(leaders("durable").keySet()).isEqualTo(leadersBefore.keySet());
        assertThat(consumeWithGroup("durable", "durable-readers", sent)).containsAll(sent);
        // The group committed its offsets before the restart too: the first test's group resumes at its end.
        try (KafkaConsumer<String, String> resumed = consumer("readers")) {
            resumed.subscribe(List.of("spread"));
            List<String> again = new ArrayList<>();
            long deadline = System.nanoTime() + StratusCluster.patience().toNanos();
            while (resumed.assignment().size() < PARTITIONS && System.nanoTime() < deadline) {
                resumed.poll(Duration.ofMillis(200)).forEach(r -> again.add(r.value()));
            }
            assertThat(resumed.assignment()).as("the group's partitions after the restart").hasSize(PARTITIONS);
            Map<TopicPartition, Long> ends = resumed.endOffsets(resumed.assignment());
            for (TopicPartition partition : resumed.assignment()) {
                assertThat(resumed.position(partition)).as("resumed position of %s", partition).isEqualTo(ends.get(partition));
            }
            resumed.poll(Duration.ofMillis(500)).forEach(r -> again.add(r.value()));
            assertThat(again).as("records the group had committed before the restart").isEmpty();
        }
    }
}
