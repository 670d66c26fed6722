package dev.stratus.bench.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Admin calls of the harness: waits until a freshly started server answers, and creates topics
 * (replication factor 1: one node), returning once every partition takes writes. Used by the
 * harness's main thread.
 */
final class TopicAdmin implements AutoCloseable {

    private final Admin admin;

    private TopicAdmin(Admin admin) {
        this.admin = admin;
    }

    /** Connects once the server answers a DescribeCluster; fails if its process dies or {@code timeout} passes. */
    static TopicAdmin awaitReady(SystemNode node, Duration timeout) throws InterruptedException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        Admin admin = Admin.create(props);
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!node.process().isAlive()) {
                admin.close();
                throw new IllegalStateException(node.system().label() + " exited during startup; see " + node.process().logFile());
            }
            try {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return new TopicAdmin(admin);
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                // not up yet
            }
            if (System.nanoTime() > deadlineNs) {
                admin.close();
                throw new IllegalStateException(node.system().label() + " did not answer within " + timeout
                        + "; see " + node.process().logFile());
            }
            Thread.sleep(250);
        }
    }

    /**
     * Creates the topic and returns once every partition has a leader and has acknowledged one small
     * probe record (8 bytes): a leader in the metadata does not yet mean a partition that takes
     * writes, and a workload must not measure the gap.
     */
    void createTopic(String bootstrapServers, String topic, int partitions) throws InterruptedException, ExecutionException {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        awaitLeaders(topic, partitions);
        Properties props = ClientConfigs.producer(bootstrapServers, "compare-probe-" + topic);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        try (KafkaProducer<byte[], byte[]> probe = new KafkaProducer<>(props)) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                sends.add(probe.send(new ProducerRecord<>(topic, p, null, new byte[RecordStamp.BYTES])));
            }
            for (Future<RecordMetadata> send : sends) {
                try {
                    send.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("topic " + topic + " took no write within 60 s of its creation", e);
                }
            }
        }
    }

    private void awaitLeaders(String topic, int partitions) throws InterruptedException {
        long deadlineNs = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadlineNs) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                if (description.partitions().size() == partitions
                        && description.partitions().stream().map(TopicPartitionInfo::leader).allMatch(l -> l != null && !l.isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                // metadata not propagated yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("topic " + topic + " has no leader for every partition after 30 s");
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
