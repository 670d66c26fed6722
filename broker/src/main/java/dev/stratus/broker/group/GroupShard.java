package dev.stratus.broker.group;

import dev.stratus.broker.group.GroupMessages.CommittedOffset;
import dev.stratus.broker.group.GroupMessages.GroupDescription;
import dev.stratus.broker.group.GroupMessages.GroupListing;
import dev.stratus.broker.group.GroupMessages.MemberDescription;
import dev.stratus.broker.group.GroupMessages.Protocol;
import dev.stratus.broker.group.GroupRecord.ConsumerGroupRecord;
import dev.stratus.broker.group.GroupRecord.GroupMetadataRecord;
import dev.stratus.broker.group.GroupRecord.GroupSnapshot;
import dev.stratus.broker.group.GroupRecord.MemberSnapshot;
import dev.stratus.broker.group.GroupRecord.OffsetRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The groups of one {@code __consumer_offsets} partition: loads them by replaying the partition
 * (requests meanwhile get COORDINATOR_LOAD_IN_PROGRESS), then serves them. Membership changes
 * of classic groups are decided by {@link RebalanceOps}, of KIP-848 consumer groups by
 * {@link ConsumerGroupOps}, offsets by {@link OffsetOps}; this class holds the two group maps
 * (a group id is in at most one), the log writes, and describe/list/delete.
 *
 * <p>Thread: everything runs on {@code scheduler}'s thread (the coordinator hands requests over
 * with {@link GroupScheduler#execute}); log completions hop back onto it.
 */
final class GroupShard {

    private static final Logger LOG = LoggerFactory.getLogger(GroupShard.class);

    /** NOT_OWNED: another broker coordinates these groups (requests get NOT_COORDINATOR). */
    enum LoadState { NOT_OWNED, LOADING, ACTIVE }

    final int partition;
    final GroupScheduler scheduler;
    final GroupCoordinatorConfig config;
    private final OffsetsLog log;
    final Map<String, ClassicGroup> groups = new HashMap<>();
    final Map<String, ConsumerGroup> consumerGroups = new HashMap<>();
    private LoadState loadState = LoadState.NOT_OWNED;
    /** Bumped at every change of ownership, so that a load finishing after the shard was given up is dropped. */
    private long ownership;
    final RebalanceOps rebalance;
    final OffsetOps offsets;
    final ConsumerGroupOps consumer;

    GroupShard(int partition, GroupScheduler scheduler, OffsetsLog log, GroupCoordinatorConfig config) {
        this(partition, scheduler, log, config, TopicsView.NONE);
    }

    GroupShard(int partition, GroupScheduler scheduler, OffsetsLog log, GroupCoordinatorConfig config,
               TopicsView topics) {
        this.partition = partition;
        this.scheduler = scheduler;
        this.log = log;
        this.config = config;
        this.rebalance = new RebalanceOps(this);
        this.offsets = new OffsetOps(this);
        this.consumer = new ConsumerGroupOps(this, topics);
    }

    /** On the shard thread: this broker now coordinates the shard's groups; loads them unless it does already. */
    void own() {
        if (loadState != LoadState.NOT_OWNED) {
            return;
        }
        loadState = LoadState.LOADING;
        ownership++;
        load(ownership);
    }

    /**
     * On the shard thread: another broker coordinates the shard's groups now; forget them (they
     * live on in the partition, which the new coordinator replays).
     */
    void disown() {
        if (loadState == LoadState.NOT_OWNED) {
            return;
        }
        loadState = LoadState.NOT_OWNED;
        ownership++;
        int count = groups.size() + consumerGroups.size();
        groups.clear();
        consumerGroups.clear();
        if (count > 0) {
            LOG.info("Gave up {} group(s) of {}-{}: another broker coordinates them now", count, OffsetsTopicLog.TOPIC,
                    partition);
        }
    }

    /** On the shard thread: replays the partition, retrying after a second while it cannot be read. */
    private void load(long attempt) {
        long startMs = scheduler.nowMs();
        log.readAll(partition).whenComplete((records, error) -> scheduler.execute(() -> {
            if (attempt != ownership) {
                return;
            }
            if (error != null) {
                LOG.warn("Loading groups of {}-{} failed; retrying", OffsetsTopicLog.TOPIC, partition, error);
                scheduler.schedule(1000, () -> {
                    if (attempt == ownership) {
                        load(attempt);
                    }
                });
                return;
            }
            replay(records);
            loadState = LoadState.ACTIVE;
            if (!groups.isEmpty() || !consumerGroups.isEmpty()) {
                LOG.info("Loaded {} group(s) from {}-{} ({} records) in {} ms", groups.size() + consumerGroups.size(),
                        OffsetsTopicLog.TOPIC,
                        partition, records.size(), scheduler.nowMs() - startMs);
            }
        }));
    }

    /** Why the shard cannot serve now (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS), or null when it can. */
    Errors notServing() {
        return switch (loadState) {
            case NOT_OWNED -> Errors.NOT_COORDINATOR;
            case LOADING -> Errors.COORDINATOR_LOAD_IN_PROGRESS;
            case ACTIVE -> null;
        };
    }

    private void replay(List<GroupRecord> records) {
        Map<String, GroupSnapshot> snapshots = new LinkedHashMap<>();
        Map<String, GroupRecord.ConsumerGroupSnapshot> consumerSnapshots = new LinkedHashMap<>();
        Map<String, Map<TopicPartition, CommittedOffset>> offsetsByGroup = new LinkedHashMap<>();
        for (GroupRecord record : records) {
            if (record instanceof OffsetRecord offset) {
                Map<TopicPartition, CommittedOffset> groupOffsets =
                        offsetsByGroup.computeIfAbsent(offset.groupId(), g -> new LinkedHashMap<>());
                TopicPartition tp = new TopicPartition(offset.topic(), offset.partition());
                if (offset.value() == null) {
                    groupOffsets.remove(tp);
                } else {
                    groupOffsets.put(tp, offset.value());
                }
            } else if (record instanceof GroupMetadataRecord metadata) {
                // The later of a classic and a consumer group record of one id wins (the group changed type).
                consumerSnapshots.remove(metadata.groupId());
                if (metadata.value() == null) {
                    snapshots.remove(metadata.groupId());
                } else {
                    snapshots.put(metadata.groupId(), metadata.value());
                }
            } else if (record instanceof ConsumerGroupRecord consumerRecord) {
                snapshots.remove(consumerRecord.groupId());
                if (consumerRecord.value() == null) {
                    consumerSnapshots.remove(consumerRecord.groupId());
                } else {
                    consumerSnapshots.put(consumerRecord.groupId(), consumerRecord.value());
                }
            }
        }
        groups.clear();
        consumerGroups.clear();
        consumerSnapshots.forEach((groupId, snapshot) -> {
            ConsumerGroup group = ConsumerGroup.restore(groupId, snapshot);
            consumerGroups.put(groupId, group);
            consumer.restored(group);
        });
        long nowMs = scheduler.nowMs();
        for (Map.Entry<String, GroupSnapshot> entry : snapshots.entrySet()) {
            groups.put(entry.getKey(), restore(entry.getKey(), entry.getValue(), nowMs));
        }
        for (Map.Entry<String, Map<TopicPartition, CommittedOffset>> entry : offsetsByGroup.entrySet()) {
            if (entry.getValue().isEmpty()) {
                continue;
            }
            ConsumerGroup consumerGroup = consumerGroups.get(entry.getKey());
            if (consumerGroup != null) {
                consumerGroup.offsets.putAll(entry.getValue());
            } else {
                groups.computeIfAbsent(entry.getKey(), g -> new ClassicGroup(g, nowMs)).offsets.putAll(entry.getValue());
            }
        }
    }

    private ClassicGroup restore(String groupId, GroupSnapshot snapshot, long nowMs) {
        ClassicGroup group = new ClassicGroup(groupId, snapshot.stateTimestampMs());
        group.protocolType = snapshot.protocolType();
        group.generationId = snapshot.generationId();
        group.protocolName = snapshot.protocolName();
        for (MemberSnapshot m : snapshot.members()) {
            ClassicMember member = new ClassicMember(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                    m.sessionTimeoutMs(), m.rebalanceTimeoutMs(),
                    List.of(new Protocol(snapshot.protocolName(), m.subscription())));
            member.assignment = m.assignment();
            group.add(member, snapshot.protocolType());
        }
        group.leaderId = snapshot.leaderId() != null && group.has(snapshot.leaderId()) ? snapshot.leaderId() : group.leaderId;
        group.transition(group.isEmpty() ? GroupState.EMPTY : GroupState.STABLE, nowMs);
        for (ClassicMember member : group.members()) {
            rebalance.scheduleExpiry(group, member);
        }
        return group;
    }

    /** Appends {@code records}; {@code done} runs on the shard thread with null or the failure. */
    void write(List<GroupRecord> records, Consumer<Throwable> done) {
        CompletableFuture<Void> append;
        try {
            append = log.append(partition, records);
        } catch (RuntimeException e) {
            append = CompletableFuture.failedFuture(e);
        }
        append.whenComplete((ignored, error) -> scheduler.execute(() -> {
            if (error != null) {
                LOG.warn("Writing {} record(s) to {}-{} failed: {}", records.size(), OffsetsTopicLog.TOPIC, partition,
                        error.toString());
            }
            done.accept(error);
        }));
    }

    /**
     * The error of a failed write as a client should see it, retriable: NOT_COORDINATOR when the
     * partition is led elsewhere now (the client finds the new coordinator), else coordinator
     * unavailable.
     */
    static Errors writeError(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.apache.kafka.common.errors.NotCoordinatorException) {
                return Errors.NOT_COORDINATOR;
            }
        }
        return Errors.COORDINATOR_NOT_AVAILABLE;
    }

    GroupDescription describe(String groupId) {
        Errors refusal = notServing();
        if (refusal != null) {
            return new GroupDescription(refusal, groupId, "", "", "", List.of());
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return new GroupDescription(Errors.GROUP_ID_NOT_FOUND, groupId, GroupState.DEAD.kafkaName(), "", "", List.of());
        }
        boolean stable = group.state() == GroupState.STABLE;
        List<MemberDescription> members = new ArrayList<>();
        for (ClassicMember member : group.members()) {
            byte[] metadata = stable ? member.metadata(group.protocolName) : null;
            members.add(new MemberDescription(member.memberId, member.groupInstanceId, member.clientId,
                    member.clientHost, metadata == null ? new byte[0] : metadata,
                    stable ? member.assignment : new byte[0]));
        }
        return new GroupDescription(Errors.NONE, groupId, group.state().kafkaName(),
                group.protocolType == null ? "" : group.protocolType,
                stable && group.protocolName != null ? group.protocolName : "", members);
    }

    /** This shard's groups (none when another broker coordinates them), or null while loading. */
    List<GroupListing> list() {
        if (loadState == LoadState.NOT_OWNED) {
            return List.of();
        }
        if (loadState == LoadState.LOADING) {
            return null;
        }
        List<GroupListing> listings = new ArrayList<>();
        for (ClassicGroup group : groups.values()) {
            listings.add(new GroupListing(group.groupId, group.protocolType == null ? "" : group.protocolType,
                    group.state().kafkaName(), GroupAdminHandlers.CLASSIC_TYPE));
        }
        for (ConsumerGroup group : consumerGroups.values()) {
            if (!group.dead) {
                listings.add(new GroupListing(group.groupId, OffsetOps.CONSUMER_PROTOCOL_TYPE, group.state().kafkaName,
                        GroupAdminHandlers.CONSUMER_TYPE));
            }
        }
        return listings;
    }

    /** DeleteGroups for one group: only an empty group, with tombstones for its metadata and offsets. */
    void delete(String groupId, Consumer<Errors> respond) {
        Errors refusal = notServing();
        if (refusal != null) {
            respond.accept(refusal);
            return;
        }
        if (consumerGroups.containsKey(groupId)) {
            deleteConsumerGroup(consumerGroups.get(groupId), respond);
            return;
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null || group.state() == GroupState.DEAD) {
            respond.accept(Errors.GROUP_ID_NOT_FOUND);
            return;
        }
        if (group.state() != GroupState.EMPTY) {
            respond.accept(Errors.NON_EMPTY_GROUP);
            return;
        }
        List<GroupRecord> tombstones = new ArrayList<>();
        for (TopicPartition tp : group.offsets.keySet()) {
            tombstones.add(new OffsetRecord(groupId, tp.topic(), tp.partition(), null));
        }
        tombstones.add(new GroupMetadataRecord(groupId, null));
        group.transition(GroupState.DEAD, scheduler.nowMs());
        write(tombstones, error -> {
            if (error != null) {
                group.transition(GroupState.EMPTY, scheduler.nowMs());
                respond.accept(writeError(error));
                return;
            }
            if (groups.get(groupId) == group) {
                groups.remove(groupId);
            }
            respond.accept(Errors.NONE);
        });
    }

    private void deleteConsumerGroup(ConsumerGroup group, Consumer<Errors> respond) {
        if (group.dead) {
            respond.accept(Errors.GROUP_ID_NOT_FOUND);
            return;
        }
        if (!group.members.isEmpty()) {
            respond.accept(Errors.NON_EMPTY_GROUP);
            return;
        }
        List<GroupRecord> tombstones = new ArrayList<>();
        for (TopicPartition tp : group.offsets.keySet()) {
            tombstones.add(new OffsetRecord(group.groupId, tp.topic(), tp.partition(), null));
        }
        tombstones.add(new ConsumerGroupRecord(group.groupId, null));
        group.dead = true;
        write(tombstones, error -> {
            if (error != null) {
                group.dead = false;
                respond.accept(writeError(error));
                return;
            }
            consumerGroups.remove(group.groupId, group);
            respond.accept(Errors.NONE);
        });
    }
}
