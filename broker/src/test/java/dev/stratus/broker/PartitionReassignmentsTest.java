package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stratus.broker.testing.TestBroker;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AlterPartitionReassignments and ListPartitionReassignments on one broker, through Kafka's
 * Admin client: what a request that cannot move anything gets back. (Moves between brokers are
 * in the cluster tests.)
 */
class PartitionReassignmentsTest {

    private static TestBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
        admin.createTopics(List.of(new NewTopic("placed", 2, (short) 1))).all().get();
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        broker.close();
    }

    private static void reassign(String topic, int partition, Optional<NewPartitionReassignment> target) throws Exception {
        admin.alterPartitionReassignments(Map.of(new TopicPartition(topic, partition), target)).all().get();
    }

    @Test
    void moreThanOneReplicaIsAnInvalidAssignment() {
        assertThatThrownBy(() -> reassign("placed", 0, Optional.of(new NewPartitionReassignment(List.of(1, 2)))))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidReplicaAssignmentException.class);
    }

    @Test
    void aBrokerThatIsNotRegisteredIsAnInvalidAssignment() {
        assertThatThrownBy(() -> reassign("placed", 0, Optional.of(new NewPartitionReassignment(List.of(7)))))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidReplicaAssignmentException.class);
    }

    @Test
    void cancellingAPartitionThatIsNotMovingIsNoReassignmentInProgress() {
        assertThatThrownBy(() -> reassign("placed", 1, Optional.empty()))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(NoReassignmentInProgressException.class);
    }

    @Test
    void aPartitionThatDoesNotExistIsUnknown() {
        assertThatThrownBy(() -> reassign("placed", 9, Optional.of(new NewPartitionReassignment(List.of(1)))))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void aMoveToTheLeaderItselfChangesNothingAndNothingIsListedAsMoving() throws Exception {
        reassign("placed", 0, Optional.of(new NewPartitionReassignment(List.of(1))));

        assertThat(admin.listPartitionReassignments().reassignments().get()).isEmpty();
        assertThat(admin.describeTopics(List.of("placed")).allTopicNames().get().get("placed").partitions().get(0)
                .leader().id()).isEqualTo(1);
    }
}
