package dev.stratus.broker.group;

import dev.stratus.broker.partition.AppendResult;
import dev.stratus.broker.partition.PartitionLeader;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicController;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.TopicNames;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.storage.stream.StreamRecordBatch;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.record.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link OffsetsLog} over the internal topic {@code __consumer_offsets}, a topic like any other:
 * created through the controller on the first write (with {@code offsets.topic.num.partitions}
 * partitions), appended through the partition's {@link PartitionLeader} (so appends are ordered
 * by the partition's agent and complete when the WAL says durable), and read back from the
 * partition's stream at start. Waits for a partition's leader to be open by polling on
 * {@code timer} every {@link #POLL_MS} ms, up to {@link #WAIT_LIMIT_MS}.
 *
 * <p>Thread-safe: any thread may call; futures complete on storage or agent threads.
 */
final class OffsetsTopicLog implements OffsetsLog {

    static final String TOPIC = TopicNames.CONSUMER_OFFSETS;
    static final long POLL_MS = 10;
    static final long WAIT_LIMIT_MS = 60_000;
    private static final short PRODUCE_VERSION = 12;
    private static final int READ_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(OffsetsTopicLog.class);

    private final TopicController controller;
    private final PartitionRegistry registry;
    private final int configuredPartitions;
    private final GroupScheduler timer;
    private final Clock clock;
    private CompletableFuture<UUID> topic;

    OffsetsTopicLog(TopicController controller, PartitionRegistry registry, int configuredPartitions,
                    GroupScheduler timer, Clock clock) {
        this.controller = controller;
        this.registry = registry;
        this.configuredPartitions = configuredPartitions;
        this.timer = timer;
        this.clock = clock;
    }

    @Override
    public int partitionCount() {
        TopicMetadata existing = registry.image().topic(TOPIC);
        return existing != null ? existing.partitions().size() : configuredPartitions;
    }

    @Override
    public CompletableFuture<Void> append(int partition, List<GroupRecord> records) {
        MemoryRecords batch = GroupRecordCodec.encode(records, clock.millis());
        return leader(partition, true)
                .thenCompose(leader -> leader.append(batch, PRODUCE_VERSION))
                .thenAccept(OffsetsTopicLog::check);
    }

    private static void check(AppendResult result) {
        if (result.error() != org.apache.kafka.common.protocol.Errors.NONE) {
            throw new CompletionException(result.error().exception(
                    "append to " + TOPIC + " failed: " + (result.errorMessage() == null ? result.error() : result.errorMessage())));
        }
    }

    @Override
    public CompletableFuture<List<GroupRecord>> readAll(int partition) {
        if (registry.image().topic(TOPIC) == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        return leader(partition, false).thenCompose(leader -> {
            var stream = leader.stream();
            if (stream == null) {
                return CompletableFuture.failedFuture(new CoordinatorNotAvailableException(TOPIC + "-" + partition + " closed"));
            }
            List<GroupRecord> records = new ArrayList<>();
            return readFrom(stream, stream.startOffset(), stream.confirmedOffset(), records).thenApply(ignored -> records);
        });
    }

    private CompletableFuture<Void> readFrom(dev.stratus.storage.stream.Stream stream, long offset, long end,
                                             List<GroupRecord> into) {
        if (offset >= end) {
            return CompletableFuture.completedFuture(null);
        }
        return stream.fetch(offset, end, READ_BYTES).thenCompose(result -> {
            long next = offset;
            for (StreamRecordBatch batch : result.batches()) {
                if (batch.nextOffset() <= next) {
                    continue;
                }
                into.addAll(GroupRecordCodec.decode(MemoryRecords.readableRecords(batch.payloadView().slice())));
                next = batch.nextOffset();
            }
            if (next == offset) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "no progress reading " + TOPIC + " at offset " + offset));
            }
            return readFrom(stream, next, end, into);
        });
    }

    /** The open leader of {@code partition}, creating the topic first when {@code create}. */
    private CompletableFuture<PartitionLeader> leader(int partition, boolean create) {
        CompletableFuture<UUID> topicId = create ? ensureTopic() : existingTopic();
        return topicId.thenCompose(id -> {
            CompletableFuture<PartitionLeader> result = new CompletableFuture<>();
            awaitLeader(id, partition, clock.millis() + WAIT_LIMIT_MS, result);
            return result;
        });
    }

    private CompletableFuture<UUID> existingTopic() {
        TopicMetadata existing = registry.image().topic(TOPIC);
        return existing != null ? CompletableFuture.completedFuture(existing.topicId())
                : CompletableFuture.failedFuture(new CoordinatorNotAvailableException(TOPIC + " does not exist"));
    }

    private synchronized CompletableFuture<UUID> ensureTopic() {
        TopicMetadata existing = registry.image().topic(TOPIC);
        if (existing != null) {
            return CompletableFuture.completedFuture(existing.topicId());
        }
        if (topic == null || topic.isCompletedExceptionally()) {
            LOG.info("Creating {} with {} partition(s)", TOPIC, configuredPartitions);
            topic = controller.createTopic(TOPIC, configuredPartitions, Map.of()).handle((created, error) -> {
                MetadataImage image = registry.image();
                TopicMetadata now = image.topic(TOPIC);
                if (now != null) {
                    return now.topicId();
                }
                throw new CompletionException(new CoordinatorNotAvailableException("cannot create " + TOPIC, error));
            });
        }
        return topic;
    }

    private void awaitLeader(UUID topicId, int partition, long deadlineMs, CompletableFuture<PartitionLeader> result) {
        PartitionLeader leader = registry.leader(topicId, partition);
        TopicMetadata topic = registry.image().topic(topicId);
        PartitionMetadata assigned = topic == null ? null : topic.partition(partition);
        if (leader != null && leader.stream() != null) {
            result.complete(leader);
        } else if (assigned != null && assigned.leaderId() != registry.nodeId()) {
            // Led by another broker: its coordinator, not this one, writes and reads these groups.
            result.completeExceptionally(new NotCoordinatorException(TOPIC + "-" + partition + " is led by broker "
                    + assigned.leaderId()));
        } else if (clock.millis() > deadlineMs) {
            result.completeExceptionally(new CoordinatorNotAvailableException(TOPIC + "-" + partition + " is not open"
                    + (leader == null ? "" : " (" + leader.readError() + ")")));
        } else {
            timer.schedule(POLL_MS, () -> awaitLeader(topicId, partition, deadlineMs, result));
        }
    }
}
