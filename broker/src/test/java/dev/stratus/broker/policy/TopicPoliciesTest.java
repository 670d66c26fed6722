package dev.stratus.broker.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stratus.broker.testing.TestBroker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.server.policy.AlterConfigPolicy;
import org.apache.kafka.server.policy.CreateTopicPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator's create-topic and alter-config policies, asked as Kafka asks them: refusals are POLICY_VIOLATION. */
class TopicPoliciesTest {

    /** Refuses topics named {@code forbidden-*} and topics of more than 8 partitions. */
    public static final class NamingPolicy implements CreateTopicPolicy {
        @Override
        public void configure(Map<String, ?> configs) {
        }

        @Override
        public void validate(RequestMetadata request) {
            if (request.topic().startsWith("forbidden-")) {
                throw new PolicyViolationException("Topic names may not start with forbidden-");
            }
            if (request.numPartitions() != null && request.numPartitions() > 8) {
                throw new PolicyViolationException("At most 8 partitions, not " + request.numPartitions());
            }
        }

        @Override
        public void close() {
        }
    }

    /** Refuses a retention.ms below one minute. */
    public static final class RetentionFloorPolicy implements AlterConfigPolicy {
        @Override
        public void configure(Map<String, ?> configs) {
        }

        @Override
        public void validate(RequestMetadata request) {
            String retention = request.configs().get("retention.ms");
            if (retention != null && Long.parseLong(retention) < 60_000) {
                throw new PolicyViolationException("retention.ms must be at least 60000 for " + request.resource().name());
            }
        }

        @Override
        public void close() {
        }
    }

    private static TestBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(new TopicPolicies(new NamingPolicy(), new RetentionFloorPolicy()));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
    }

    @AfterAll
    static void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void aTopicThePolicyRefusesIsAPolicyViolationAndIsNotCreated() {
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("forbidden-topic", 1, (short) 1))).all().get())
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("may not start with forbidden-");
        assertThat(broker.controller.image().topic("forbidden-topic")).isNull();
    }

    @Test
    void thePolicySeesThePartitionCount() throws Exception {
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("too-wide", 9, (short) 1))).all().get())
                .hasCauseInstanceOf(PolicyViolationException.class);
        admin.createTopics(List.of(new NewTopic("wide-enough", 8, (short) 1))).all().get();
        assertThat(broker.controller.image().topic("wide-enough").partitions()).hasSize(8);
    }

    @Test
    void validateOnlyAsksThePolicyToo() {
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("forbidden-dry-run", 1, (short) 1)),
                new CreateTopicsOptions().validateOnly(true)).all().get())
                .hasCauseInstanceOf(PolicyViolationException.class);
    }

    @Test
    void autoCreationIsRefusedByThePolicyToo() {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("forbidden-auto", "v")).get())
                    .isInstanceOf(ExecutionException.class);
        }
        assertThat(broker.controller.image().topic("forbidden-auto")).isNull();
    }

    @Test
    void aConfigChangeThePolicyRefusesIsAPolicyViolationAndChangesNothing() throws Exception {
        admin.createTopics(List.of(new NewTopic("guarded-retention", 1, (short) 1).configs(Map.of("retention.ms", "120000"))))
                .all().get();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "guarded-retention");
        List<AlterConfigOp> tooShort = List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET));

        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(resource, tooShort)).all().get())
                .hasCauseInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("at least 60000");
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(resource, tooShort),
                new AlterConfigsOptions().validateOnly(true)).all().get())
                .hasCauseInstanceOf(PolicyViolationException.class);
        assertThat(broker.controller.image().topic("guarded-retention").configs()).containsEntry("retention.ms", "120000");

        admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "90000"), AlterConfigOp.OpType.SET)))).all().get();
        assertThat(broker.controller.image().topic("guarded-retention").configs()).containsEntry("retention.ms", "90000");
    }

    @Test
    void anInvalidConfigIsInvalidConfigBeforeThePolicyIsAsked() throws Exception {
        admin.createTopics(List.of(new NewTopic("checked-first", 1, (short) 1))).all().get();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "checked-first");
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "soon"), AlterConfigOp.OpType.SET)))).all().get())
                .hasCauseInstanceOf(InvalidConfigurationException.class);
    }
}
