package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stratus.broker.testing.TestBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdminTopicsTest {

    private static TestBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(config -> config.withNumPartitions(4));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        broker.close();
    }

    @Test
    void createdTopicIsDescribedWithItsIdAndPartitionsLedByThisBroker() throws Exception {
        admin.createTopics(List.of(new NewTopic("described", 3, (short) 3))).all().get();
        TopicDescription description = admin.describeTopics(List.of("described")).allTopicNames().get().get("described");
        assertThat(description.topicId().toString())
                .isEqualTo(org.apache.kafka.common.Uuid.fromString(description.topicId().toString()).toString());
        assertThat(description.topicId()).isNotEqualTo(org.apache.kafka.common.Uuid.ZERO_UUID);
        assertThat(description.partitions()).hasSize(3)
                .allSatisfy(p -> assertThat(p.leader().id()).isEqualTo(1));
        assertThat(admin.listTopics().names().get()).contains("described");
    }

    @Test
    void topicWithDefaultPartitionCountUsesNumPartitions() throws Exception {
        admin.createTopics(List.of(new NewTopic("defaulted", java.util.Optional.empty(), java.util.Optional.empty())))
                .all().get();
        assertThat(admin.describeTopics(List.of("defaulted")).allTopicNames().get().get("defaulted").partitions()).hasSize(4);
    }

    @Test
    void invalidCreationsGetKafkasErrors() throws Exception {
        admin.createTopics(List.of(new NewTopic("exists", 1, (short) 1))).all().get();
        assertCause(() -> admin.createTopics(List.of(new NewTopic("exists", 1, (short) 1))).all().get(), TopicExistsException.class);
        assertCause(() -> admin.createTopics(List.of(new NewTopic("zero", 0, (short) 1))).all().get(), InvalidPartitionsException.class);
        assertCause(() -> admin.createTopics(List.of(new NewTopic("bad/name", 1, (short) 1))).all().get(), InvalidTopicException.class);
        assertCause(() -> admin.createTopics(List.of(new NewTopic("rf", 1, (short) 0))).all().get(), InvalidReplicationFactorException.class);
    }

    @Test
    void validateOnlyCreatesNothing() throws Exception {
        admin.createTopics(List.of(new NewTopic("dry-run", 2, (short) 1)), new CreateTopicsOptions().validateOnly(true)).all().get();
        assertThat(broker.controller.image().topic("dry-run")).isNull();
    }

    @Test
    void deletedTopicDisappearsAndItsStreamsAreClosedAndDeleted() throws Exception {
        admin.createTopics(List.of(new NewTopic("doomed", 2, (short) 1))).all().get();
        long streamId = broker.controller.image().topic("doomed").partition(0).streamId();
        admin.deleteTopics(List.of("doomed")).all().get();
        assertThat(admin.listTopics().names().get()).doesNotContain("doomed");
        await().atMost(Duration.ofSeconds(5)).until(() -> !broker.store.exists(streamId));
    }

    private static void assertCause(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Class<? extends Throwable> cause) {
        assertThatThrownBy(call).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(cause);
    }
}
