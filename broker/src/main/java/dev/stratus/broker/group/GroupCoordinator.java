package dev.stratus.broker.group;

import dev.stratus.broker.group.GroupMessages.CommitRequest;
import dev.stratus.broker.group.GroupMessages.FetchResult;
import dev.stratus.broker.group.GroupMessages.GroupDescription;
import dev.stratus.broker.group.GroupMessages.GroupListing;
import dev.stratus.broker.group.GroupMessages.JoinRequest;
import dev.stratus.broker.group.GroupMessages.JoinResult;
import dev.stratus.broker.group.GroupMessages.LeaveResult;
import dev.stratus.broker.group.GroupMessages.LeavingMember;
import dev.stratus.broker.group.GroupMessages.ListResult;
import dev.stratus.broker.group.GroupMessages.OffsetDeleteResult;
import dev.stratus.broker.group.GroupMessages.SyncRequest;
import dev.stratus.broker.group.GroupMessages.SyncResult;
import dev.stratus.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The classic group coordinator of this broker (coordinator of every group on a single node).
 * A group belongs to the shard of its {@code __consumer_offsets} partition
 * ({@code hash(groupId) mod partitions}, as Kafka); each shard runs on one group agent thread,
 * which owns its groups without locks. This facade only routes: it hands each call to the
 * shard's thread and returns a future of the result.
 *
 * <p>Thread-safe; {@link #start()} is called once by the broker's lifecycle thread.
 */
public final class GroupCoordinator {

    private final GroupCoordinatorConfig config;
    private final OffsetsLog log;
    private final List<? extends GroupScheduler> agents;
    private final TopicsView topics;
    private volatile GroupShard[] shards;

    GroupCoordinator(GroupCoordinatorConfig config, OffsetsLog log, List<? extends GroupScheduler> agents) {
        this(config, log, agents, TopicsView.NONE);
    }

    GroupCoordinator(GroupCoordinatorConfig config, OffsetsLog log, List<? extends GroupScheduler> agents,
                     TopicsView topics) {
        this.config = config;
        this.log = log;
        this.agents = List.copyOf(agents);
        this.topics = topics;
    }

    /**
     * Creates the shards, none of them owned yet: {@link #follow} says which this broker
     * coordinates. A shard that is being loaded answers COORDINATOR_LOAD_IN_PROGRESS, one another
     * broker coordinates NOT_COORDINATOR.
     */
    void start() {
        int partitions = log.partitionCount();
        GroupShard[] created = new GroupShard[partitions];
        for (int p = 0; p < partitions; p++) {
            created[p] = new GroupShard(p, agents.get(p % agents.size()), log, config, topics);
        }
        shards = created;
    }

    /** Takes up the shards {@code image} makes this broker the coordinator of, and gives up the others. */
    void follow(MetadataImage image, int selfId) {
        GroupShard[] current = shards;
        if (current == null) {
            return;
        }
        for (GroupShard shard : current) {
            boolean mine = GroupOwnership.coordinatorOf(image, shard.partition) == selfId;
            try {
                shard.scheduler.execute(mine ? shard::own : shard::disown);
            } catch (RejectedExecutionException shuttingDown) {
                return;
            }
        }
    }

    /** How many {@code __consumer_offsets} partitions (shards) there are. */
    public int partitionCount() {
        GroupShard[] current = shards;
        return current == null ? log.partitionCount() : current.length;
    }

    /** The {@code __consumer_offsets} partition of a group. */
    public static int partitionFor(String groupId, int partitions) {
        return (groupId.hashCode() & 0x7fffffff) % partitions;
    }

    private GroupShard shardFor(String groupId) {
        GroupShard[] current = shards;
        return current[partitionFor(groupId == null ? "" : groupId, current.length)];
    }

    /** Runs {@code operation} on the group's shard; {@code onRejected} is the answer when the shard's queue is full. */
    private <T> CompletableFuture<T> onShard(String groupId, BiConsumer<GroupShard, CompletableFuture<T>> operation,
                                             T onRejected) {
        GroupShard shard = shardFor(groupId);
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            shard.scheduler.execute(() -> {
                try {
                    operation.accept(shard, result);
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(onRejected);
        }
        return result;
    }

    public CompletableFuture<JoinResult> join(JoinRequest request) {
        return onShard(request.groupId(), (shard, result) -> shard.rebalance.join(request, result::complete),
                JoinResult.error(Errors.COORDINATOR_NOT_AVAILABLE, request.memberId()));
    }

    public CompletableFuture<SyncResult> sync(SyncRequest request) {
        return onShard(request.groupId(), (shard, result) -> shard.rebalance.sync(request, result::complete),
                SyncResult.error(Errors.COORDINATOR_NOT_AVAILABLE));
    }

    public CompletableFuture<Errors> heartbeat(String groupId, int generationId, String memberId, String groupInstanceId) {
        return onShard(groupId, (shard, result) ->
                result.complete(shard.rebalance.heartbeat(groupId, generationId, memberId, groupInstanceId)),
                Errors.COORDINATOR_NOT_AVAILABLE);
    }

    public CompletableFuture<LeaveResult> leave(String groupId, List<LeavingMember> members) {
        return onShard(groupId, (shard, result) -> result.complete(shard.rebalance.leave(groupId, members)),
                new LeaveResult(Errors.COORDINATOR_NOT_AVAILABLE, List.of()));
    }

    public CompletableFuture<Map<TopicPartition, Errors>> commit(CommitRequest request) {
        Map<TopicPartition, Errors> rejected = new java.util.LinkedHashMap<>();
        request.offsets().keySet().forEach(tp -> rejected.put(tp, Errors.COORDINATOR_NOT_AVAILABLE));
        return onShard(request.groupId(), (shard, result) -> shard.offsets.commit(request, result::complete), rejected);
    }

    /** Committed offsets of {@code partitions}, or of every partition when null. */
    public CompletableFuture<FetchResult> fetchOffsets(String groupId, List<TopicPartition> partitions) {
        return onShard(groupId, (shard, result) -> result.complete(shard.offsets.fetch(groupId, partitions)),
                new FetchResult(Errors.COORDINATOR_NOT_AVAILABLE, Map.of()));
    }

    public CompletableFuture<OffsetDeleteResult> deleteOffsets(String groupId, List<TopicPartition> partitions) {
        return onShard(groupId, (shard, result) -> shard.offsets.delete(groupId, partitions, result::complete),
                new OffsetDeleteResult(Errors.COORDINATOR_NOT_AVAILABLE, Map.of()));
    }

    public CompletableFuture<GroupDescription> describe(String groupId) {
        return onShard(groupId, (shard, result) -> result.complete(shard.describe(groupId)),
                new GroupDescription(Errors.COORDINATOR_NOT_AVAILABLE, groupId, "", "", "", List.of()));
    }

    /** A KIP-848 ConsumerGroupHeartbeat. */
    CompletableFuture<GroupMessages.ConsumerHeartbeatResult> consumerHeartbeat(GroupMessages.ConsumerHeartbeat request) {
        return onShard(request.groupId(), (shard, result) -> shard.consumer.heartbeat(request, result::complete),
                GroupMessages.ConsumerHeartbeatResult.error(Errors.COORDINATOR_NOT_AVAILABLE, null));
    }

    /** ConsumerGroupDescribe of one group. */
    CompletableFuture<GroupMessages.ConsumerGroupDescription> describeConsumerGroup(String groupId) {
        return onShard(groupId, (shard, result) -> result.complete(shard.consumer.describe(groupId)),
                new GroupMessages.ConsumerGroupDescription(Errors.COORDINATOR_NOT_AVAILABLE, null, groupId, "", 0, 0, "",
                        List.of()));
    }

    public CompletableFuture<Errors> delete(String groupId) {
        return onShard(groupId, (shard, result) -> shard.delete(groupId, result::complete),
                Errors.COORDINATOR_NOT_AVAILABLE);
    }

    /** Every group of every shard; COORDINATOR_LOAD_IN_PROGRESS (with the loaded shards' groups) while any shard loads. */
    public CompletableFuture<ListResult> list() {
        GroupShard[] current = shards;
        List<CompletableFuture<List<GroupListing>>> parts = new ArrayList<>();
        for (GroupShard shard : current) {
            CompletableFuture<List<GroupListing>> part = new CompletableFuture<>();
            try {
                shard.scheduler.execute(() -> part.complete(shard.list()));
            } catch (RejectedExecutionException e) {
                part.complete(null);
            }
            parts.add(part);
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            Errors error = Errors.NONE;
            List<GroupListing> all = new ArrayList<>();
            for (CompletableFuture<List<GroupListing>> part : parts) {
                List<GroupListing> listings = part.join();
                if (listings == null) {
                    error = Errors.COORDINATOR_LOAD_IN_PROGRESS;
                } else {
                    all.addAll(listings);
                }
            }
            return new ListResult(error, all);
        });
    }

}
