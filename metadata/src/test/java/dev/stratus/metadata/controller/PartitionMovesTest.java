package dev.stratus.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.metadata.MetadataErrorCode;
import dev.stratus.metadata.MetadataException;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition move in two committed steps: the move names the target while the leader keeps the
 * partition; only the leader's report that it closed the partition makes the target leader,
 * with the next epoch. Moves can be cancelled before that, and stale reports are refused.
 */
class PartitionMovesTest {

    @TempDir
    Path dir;

    private JournalController node;
    private QuorumController controller;
    private long epochOf1;

    @BeforeEach
    void open() throws Exception {
        node = JournalController.open(dir.resolve("metadata.log"), Clock.systemUTC());
        controller = node.controller;
        epochOf1 = JournalController.register(controller, 1).join();
        controller.createTopic("orders", 2, Map.of()).join();
        JournalController.register(controller, 2).join();
    }

    @AfterEach
    void close() {
        node.close();
    }

    private PartitionMetadata partition(int index) {
        return controller.image().topic("orders").partitions().get(index);
    }

    private static MetadataErrorCode code(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            return ((MetadataException) e.getCause()).code();
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void aMoveNamesTheTargetAndLeavesTheLeaderAndEpochAsTheyAre() {
        PartitionMetadata before = partition(0);

        controller.reassignPartition("orders", 0, 2).join();

        assertThat(partition(0)).isEqualTo(new PartitionMetadata(before.topic(), 0, before.streamId(), 1, before.leaderEpoch(),
                before.checkpointStreamId(), 2));
        assertThat(partition(1).moving()).isFalse();
    }

    @Test
    void theLeadersReportThatItClosedThePartitionMakesTheTargetLeaderWithTheNextEpoch() {
        PartitionMetadata before = partition(0);
        controller.reassignPartition("orders", 0, 2).join();
        TopicMetadata topic = controller.image().topic("orders");

        controller.completePartitionMove(1, epochOf1, topic.topicId(), 0, before.leaderEpoch()).join();

        assertThat(partition(0).leaderId()).isEqualTo(2);
        assertThat(partition(0).leaderEpoch()).isEqualTo(before.leaderEpoch() + 1);
        assertThat(partition(0).moving()).isFalse();
        assertThat(partition(0).streamId()).isEqualTo(before.streamId());
    }

    @Test
    void aCancelledMoveLeavesThePartitionWhereItWasAndItsReportIsRefused() {
        PartitionMetadata before = partition(0);
        controller.reassignPartition("orders", 0, 2).join();

        controller.reassignPartition("orders", 0, -1).join();

        assertThat(partition(0)).isEqualTo(before);
        assertThat(code(controller.completePartitionMove(1, epochOf1, controller.image().topic("orders").topicId(), 0,
                before.leaderEpoch()))).isEqualTo(MetadataErrorCode.FENCED_LEADER_EPOCH);
        assertThat(partition(0)).isEqualTo(before);
    }

    @Test
    void aReportAtAnOlderEpochOrFromAnotherBrokerIsRefused() {
        PartitionMetadata before = partition(0);
        controller.reassignPartition("orders", 0, 2).join();
        var topicId = controller.image().topic("orders").topicId();

        assertThat(code(controller.completePartitionMove(1, epochOf1, topicId, 0, before.leaderEpoch() - 1)))
                .isEqualTo(MetadataErrorCode.FENCED_LEADER_EPOCH);
        long epochOf2 = controller.image().brokers().broker(2).epoch();
        assertThat(code(controller.completePartitionMove(2, epochOf2, topicId, 0, before.leaderEpoch())))
                .isEqualTo(MetadataErrorCode.FENCED_LEADER_EPOCH);
        assertThat(code(controller.completePartitionMove(1, epochOf1 - 1, topicId, 0, before.leaderEpoch())))
                .isEqualTo(MetadataErrorCode.STALE_BROKER_EPOCH);
        assertThat(partition(0).leaderId()).isEqualTo(1);
    }

    @Test
    void aMoveToABrokerThatIsNotLiveOrOfAPartitionThatDoesNotExistIsRefused() {
        assertThat(code(controller.reassignPartition("orders", 0, 9))).isEqualTo(MetadataErrorCode.INVALID_REPLICA_ASSIGNMENT);
        assertThat(code(controller.reassignPartition("orders", 5, 2))).isEqualTo(MetadataErrorCode.UNKNOWN_TOPIC);
        assertThat(code(controller.reassignPartition("missing", 0, 2))).isEqualTo(MetadataErrorCode.UNKNOWN_TOPIC);
        assertThat(code(controller.reassignPartition("orders", 0, -1))).isEqualTo(MetadataErrorCode.NO_REASSIGNMENT_IN_PROGRESS);
    }

    @Test
    void aMoveToTheCurrentLeaderIsNothingToDo() {
        PartitionMetadata before = partition(0);

        controller.reassignPartition("orders", 0, 1).join();

        assertThat(partition(0)).isEqualTo(before);
    }

    @Test
    void drainingABrokerMovesEveryPartitionItLeadsToTheOthersAndItTakesNoNewOnes() {
        JournalController.register(controller, 3).join();

        assertThat(controller.drainBroker(1, epochOf1).join()).isEqualTo(2);

        assertThat(controller.image().brokers().broker(1).draining()).isTrue();
        assertThat(controller.image().topic("orders").partitions()).extracting(PartitionMetadata::movingTo)
                .containsExactlyInAnyOrder(2, 3);
        TopicMetadata created = controller.createTopic("later", 4, Map.of()).join();
        assertThat(created.partitions()).extracting(PartitionMetadata::leaderId).doesNotContain(1);
        assertThat(code(controller.reassignPartition("later", 0, 1))).isEqualTo(MetadataErrorCode.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void drainingTheOnlyBrokerMovesNothing() throws Exception {
        node.close();
        node = JournalController.open(dir.resolve("alone.log"), Clock.systemUTC());
        controller = node.controller;
        long epoch = JournalController.register(controller, 1).join();
        controller.createTopic("orders", 2, Map.of()).join();

        assertThat(controller.drainBroker(1, epoch).join()).isZero();
        assertThat(controller.image().topic("orders").partitions()).noneMatch(PartitionMetadata::moving);
    }

    @Test
    void aMoveSurvivesARestartOfTheController() throws Exception {
        controller.reassignPartition("orders", 1, 2).join();
        node.close();

        node = JournalController.open(dir.resolve("metadata.log"), Clock.systemUTC());
        controller = node.controller;

        assertThat(partition(1).movingTo()).isEqualTo(2);
    }
}
