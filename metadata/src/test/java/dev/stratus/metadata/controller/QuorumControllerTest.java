package dev.stratus.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stratus.metadata.BrokerLoad;
import dev.stratus.metadata.BrokerRegistrationRequest;
import dev.stratus.metadata.MetadataErrorCode;
import dev.stratus.metadata.MetadataException;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.storage.metadata.CommitRange;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.StreamMetadata;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuorumControllerTest {

    @TempDir
    Path dir;

    private JournalController node;
    private QuorumController controller;

    @AfterEach
    void closeController() {
        if (node != null) {
            node.close();
        }
    }

    private QuorumController open() throws Exception {
        if (node != null) {
            node.close();
        }
        node = JournalController.open(dir.resolve("metadata.log"), Clock.systemUTC());
        controller = node.controller;
        return controller;
    }

    private static <T> T await(CompletableFuture<T> future) {
        return future.join();
    }

    private static Throwable failure(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected failure");
    }

    @Test
    void createdTopicHasOneStreamPerPartitionLedByTheRegisteredBroker() throws Exception {
        open();
        await(JournalController.register(controller, 1));
        TopicMetadata topic = await(controller.createTopic("orders", 3, Map.of("retention.ms", "1000")));

        assertThat(topic.partitions()).hasSize(3);
        assertThat(topic.partitions()).extracting(PartitionMetadata::leaderId).containsOnly(1);
        assertThat(topic.partitions()).extracting(PartitionMetadata::streamId).doesNotHaveDuplicates();
        assertThat(topic.configs()).containsEntry("retention.ms", "1000");
        assertThat(controller.image().topic("orders")).isEqualTo(topic);
    }

    @Test
    void topicsStreamsAndIdsSurviveARestart() throws Exception {
        open();
        await(JournalController.register(controller, 1));
        TopicMetadata before = await(controller.createTopic("orders", 2, Map.of()));
        long objectId = await(controller.prepareObjects(1, 60_000));

        open();
        TopicMetadata after = controller.image().topic("orders");
        assertThat(after.topicId()).isEqualTo(before.topicId());
        assertThat(after.partitions()).extracting(PartitionMetadata::streamId)
                .containsExactlyElementsOf(before.partitions().stream().map(PartitionMetadata::streamId).toList());
        assertThat(await(controller.prepareObjects(1, 60_000))).isGreaterThan(objectId);
        assertThat(await(controller.createStream())).isGreaterThan(before.partitions().get(1).streamId());
    }

    @Test
    void aNewProcessRegisteringAgainBumpsEveryLeaderEpoch() throws Exception {
        open();
        await(JournalController.register(controller, 1));
        await(controller.createTopic("orders", 2, Map.of()));
        long epoch = await(JournalController.register(controller, 1));

        assertThat(epoch).isEqualTo(1);
        assertThat(controller.image().topic("orders").partitions()).extracting(PartitionMetadata::leaderEpoch).containsOnly(1);
    }

    @Test
    void theSameProcessRegisteringAgainAfterItsLeaseRanOutKeepsItsLeaderEpochs() throws Exception {
        open();
        BrokerRegistrationRequest process = new BrokerRegistrationRequest(1, UUID.randomUUID(), "127.0.0.1", 9092, null);
        long first = await(controller.registerBroker(process));
        await(controller.createTopic("orders", 2, Map.of()));
        await(controller.heartbeat(1, first, true, BrokerLoad.NONE));

        long again = await(controller.registerBroker(process));

        assertThat(again).isEqualTo(first + 1);
        assertThat(controller.image().brokers().broker(1).fenced()).isFalse();
        assertThat(controller.image().topic("orders").partitions()).extracting(PartitionMetadata::leaderEpoch).containsOnly(0);
    }

    @Test
    void aRegisteringBrokerDoesNotTakeThePartitionsOfAFencedOne() throws Exception {
        // The fenced broker's WAL may hold acknowledged records only it can commit: its partitions wait for it.
        open();
        long first = await(controller.registerBroker(new BrokerRegistrationRequest(1, UUID.randomUUID(), "127.0.0.1", 9092, null)));
        await(controller.createTopic("orders", 2, Map.of()));
        await(controller.heartbeat(1, first, true, BrokerLoad.NONE));

        await(controller.registerBroker(new BrokerRegistrationRequest(2, UUID.randomUUID(), "127.0.0.1", 9093, null)));

        assertThat(controller.image().topic("orders").partitions()).extracting(PartitionMetadata::leaderId).containsOnly(1);
        assertThat(controller.image().topic("orders").partitions()).extracting(PartitionMetadata::leaderEpoch).containsOnly(0);
    }

    @Test
    void aBrokerTakesThePartitionsCreatedBeforeAnyBrokerRegistered() throws Exception {
        open();
        await(controller.createTopic("early", 2, Map.of()));
        assertThat(controller.image().topic("early").partitions()).extracting(PartitionMetadata::leaderId).containsOnly(-1);

        await(JournalController.register(controller, 7));

        assertThat(controller.image().topic("early").partitions()).extracting(PartitionMetadata::leaderId).containsOnly(7);
    }

    @Test
    void creatingAnExistingTopicIsRefused() throws Exception {
        open();
        await(controller.createTopic("orders", 1, Map.of()));

        Throwable error = failure(controller.createTopic("orders", 1, Map.of()));
        assertThat(((MetadataException) error).code()).isEqualTo(MetadataErrorCode.TOPIC_ALREADY_EXISTS);
    }

    @Test
    void illegalTopicNamesAndPartitionCountsAreRefused() throws Exception {
        open();
        assertThat(((MetadataException) failure(controller.createTopic("bad/name", 1, Map.of()))).code())
                .isEqualTo(MetadataErrorCode.INVALID_TOPIC_NAME);
        assertThat(((MetadataException) failure(controller.createTopic("..", 1, Map.of()))).code())
                .isEqualTo(MetadataErrorCode.INVALID_TOPIC_NAME);
        assertThat(((MetadataException) failure(controller.createTopic("zero", 0, Map.of()))).code())
                .isEqualTo(MetadataErrorCode.INVALID_PARTITIONS);
        assertThat(controller.image().topics()).isEmpty();
    }

    @Test
    void deletingATopicRemovesItAndItsStreams() throws Exception {
        open();
        TopicMetadata topic = await(controller.createTopic("orders", 1, Map.of()));
        await(controller.deleteTopic("orders"));

        assertThat(controller.image().topic("orders")).isNull();
        Throwable error = failure(controller.describeStream(topic.partitions().get(0).streamId()));
        assertThat(((StreamException) error).code()).isEqualTo(StreamErrorCode.STREAM_NOT_FOUND);
        assertThat(((MetadataException) failure(controller.deleteTopic("orders"))).code())
                .isEqualTo(MetadataErrorCode.UNKNOWN_TOPIC);
    }

    @Test
    void openingWithAHigherEpochFencesTheOldOwnersCommits() throws Exception {
        open();
        long stream = await(controller.createStream());
        await(controller.openStream(stream, 1));
        long objectId = await(controller.prepareObjects(1, 60_000));
        await(controller.openStream(stream, 2));

        Throwable error = failure(controller.commitObject(objectId, 10, List.of(new CommitRange(stream, 1, 0, 5))));
        assertThat(((StreamException) error).code()).isEqualTo(StreamErrorCode.FENCED);
        assertThat(await(controller.describeStream(stream)).endOffset()).isZero();
        assertThat(((StreamException) failure(controller.openStream(stream, 1))).code()).isEqualTo(StreamErrorCode.FENCED);
    }

    @Test
    void commitsMustContinueTheStreamAndAdvanceItsEnd() throws Exception {
        open();
        long stream = await(controller.createStream());
        await(controller.openStream(stream, 0));
        long first = await(controller.prepareObjects(2, 60_000));
        await(controller.commitObject(first, 100, List.of(new CommitRange(stream, 0, 0, 10))));

        Throwable gap = failure(controller.commitObject(first + 1, 100, List.of(new CommitRange(stream, 0, 11, 20))));
        assertThat(((StreamException) gap).code()).isEqualTo(StreamErrorCode.OFFSET_MISMATCH);

        await(controller.commitObject(first + 1, 100, List.of(new CommitRange(stream, 0, 10, 20))));
        StreamMetadata metadata = await(controller.describeStream(stream));
        assertThat(metadata.endOffset()).isEqualTo(20);
        assertThat(await(controller.objectsOf(stream, 12, 20, 10))).extracting(ObjectMetadata::objectId)
                .containsExactly(first + 1);
        assertThat(await(controller.objectsOf(stream, 0, 20, 10))).extracting(ObjectMetadata::objectId)
                .containsExactly(first, first + 1);
    }

    @Test
    void aRetriedCommitOfTheSameObjectSucceedsOnce() throws Exception {
        open();
        long stream = await(controller.createStream());
        await(controller.openStream(stream, 0));
        long objectId = await(controller.prepareObjects(1, 60_000));
        List<CommitRange> ranges = List.of(new CommitRange(stream, 0, 0, 10));
        await(controller.commitObject(objectId, 100, ranges));
        await(controller.commitObject(objectId, 100, ranges));

        assertThat(await(controller.describeStream(stream)).endOffset()).isEqualTo(10);
        assertThat(await(controller.objectsOf(stream, 0, 10, 10))).hasSize(1);
    }

    @Test
    void committedObjectsSurviveARestart() throws Exception {
        open();
        long stream = await(controller.createStream());
        await(controller.openStream(stream, 0));
        long objectId = await(controller.prepareObjects(1, 60_000));
        await(controller.commitObject(objectId, 100, List.of(new CommitRange(stream, 0, 0, 10))));

        open();
        assertThat(await(controller.describeStream(stream)).endOffset()).isEqualTo(10);
        assertThat(await(controller.objectsOf(stream, 0, 10, 10))).extracting(ObjectMetadata::objectId)
                .containsExactly(objectId);
    }

    @Test
    void subscribersSeeTheCurrentImageThenEveryChange() throws Exception {
        open();
        await(controller.createTopic("a", 1, Map.of()));
        List<MetadataImage> seen = new CopyOnWriteArrayList<>();
        node.loader.subscribe((delta, image) -> seen.add(image));
        await(controller.createTopic("b", 1, Map.of()));

        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).topic("b")).isNull();
        assertThat(seen.get(1).topic("b")).isNotNull();
    }

    @Test
    void producerIdBlocksNeverOverlapAcrossRestarts() throws Exception {
        open();
        long first = await(controller.allocateProducerIds(1000));
        long second = await(controller.allocateProducerIds(1000));
        assertThat(second).isEqualTo(first + 1000);

        open();
        assertThat(await(controller.allocateProducerIds(1000))).isEqualTo(second + 1000);
    }
}
