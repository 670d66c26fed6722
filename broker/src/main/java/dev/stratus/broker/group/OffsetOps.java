package dev.stratus.broker.group;

import dev.stratus.broker.group.GroupMessages.CommitRequest;
import dev.stratus.broker.group.GroupMessages.CommittedOffset;
import dev.stratus.broker.group.GroupMessages.FetchResult;
import dev.stratus.broker.group.GroupMessages.OffsetDeleteResult;
import dev.stratus.broker.group.GroupRecord.OffsetRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * Committed offsets of one shard's groups, classic and KIP-848: OffsetCommit (checked against the
 * member and generation, or member epoch for a consumer group, as Kafka does, written to {@code __consumer_offsets}, visible only once durable),
 * OffsetFetch, and OffsetDelete (tombstones; refused for topics a live consumer group subscribes to).
 *
 * <p>Thread: the shard's thread.
 */
final class OffsetOps {

    static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    private final GroupShard shard;

    OffsetOps(GroupShard shard) {
        this.shard = shard;
    }

    void commit(CommitRequest request, Consumer<Map<TopicPartition, Errors>> respond) {
        Errors error = validateCommit(request);
        if (error != Errors.NONE) {
            respond.accept(all(request.offsets().keySet(), error));
            return;
        }
        ConsumerGroup consumerGroup = shard.consumerGroups.get(request.groupId());
        ClassicGroup group = consumerGroup != null ? null
                : shard.groups.computeIfAbsent(request.groupId(), g -> new ClassicGroup(g, shard.scheduler.nowMs()));
        Map<TopicPartition, Errors> results = new LinkedHashMap<>();
        Map<TopicPartition, CommittedOffset> accepted = new LinkedHashMap<>();
        List<GroupRecord> records = new ArrayList<>();
        for (Map.Entry<TopicPartition, CommittedOffset> entry : request.offsets().entrySet()) {
            CommittedOffset offset = entry.getValue();
            String metadata = offset.metadata() == null ? "" : offset.metadata();
            if (metadata.getBytes(StandardCharsets.UTF_8).length > shard.config.offsetMetadataMaxBytes()) {
                results.put(entry.getKey(), Errors.OFFSET_METADATA_TOO_LARGE);
                continue;
            }
            CommittedOffset stored = new CommittedOffset(offset.offset(), offset.leaderEpoch(), metadata,
                    shard.scheduler.nowMs());
            accepted.put(entry.getKey(), stored);
            records.add(new OffsetRecord(request.groupId(), entry.getKey().topic(), entry.getKey().partition(), stored));
        }
        if (records.isEmpty()) {
            respond.accept(results);
            return;
        }
        shard.write(records, failure -> {
            if (failure == null && consumerGroup != null) {
                consumerGroup.offsets.putAll(accepted);
            } else if (failure == null) {
                group.offsets.putAll(accepted);
                if (shard.groups.get(request.groupId()) == null && group.state() != GroupState.DEAD
                        && !shard.consumerGroups.containsKey(request.groupId())) {
                    shard.groups.put(request.groupId(), group);
                }
            }
            Errors outcome = failure == null ? Errors.NONE : GroupShard.writeError(failure);
            accepted.keySet().forEach(tp -> results.put(tp, outcome));
            respond.accept(results);
        });
    }

    private Errors validateCommit(CommitRequest request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        Errors refusal = shard.notServing();
        if (refusal != null) {
            return refusal;
        }
        String memberId = request.memberId() == null ? "" : request.memberId();
        ConsumerGroup consumerGroup = shard.consumerGroups.get(request.groupId());
        if (consumerGroup != null) {
            return validateConsumerCommit(consumerGroup, memberId, request.generationId());
        }
        ClassicGroup group = shard.groups.get(request.groupId());
        if (group == null) {
            // No group: only a commit outside group management (generation -1) may create one.
            return request.generationId() < 0 ? Errors.NONE : Errors.ILLEGAL_GENERATION;
        }
        if (group.state() == GroupState.DEAD) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (request.groupInstanceId() != null) {
            String current = group.staticMemberId(request.groupInstanceId());
            if (current != null && !current.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        if (request.generationId() < 0 && group.state() == GroupState.EMPTY) {
            return Errors.NONE;
        }
        if (!group.has(memberId)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (request.generationId() != group.generationId) {
            return Errors.ILLEGAL_GENERATION;
        }
        if (group.state() == GroupState.COMPLETING_REBALANCE) {
            return Errors.REBALANCE_IN_PROGRESS;
        }
        shard.rebalance.scheduleExpiry(group, group.member(memberId));
        return Errors.NONE;
    }

    /**
     * A commit to a KIP-848 group: from outside the group (epoch -1) only while it has no members;
     * from a member, with its current member epoch (else STALE_MEMBER_EPOCH, which the client retries).
     */
    private static Errors validateConsumerCommit(ConsumerGroup group, String memberId, int memberEpoch) {
        if (group.dead) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (memberEpoch < 0 && group.members.isEmpty()) {
            return Errors.NONE;
        }
        ConsumerMember member = group.members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return memberEpoch == member.memberEpoch ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    /** Offsets of {@code partitions} (every committed partition when null). */
    FetchResult fetch(String groupId, List<TopicPartition> partitions) {
        Errors refusal = shard.notServing();
        if (refusal != null) {
            return new FetchResult(refusal, Map.of());
        }
        ConsumerGroup consumerGroup = shard.consumerGroups.get(groupId);
        ClassicGroup group = shard.groups.get(groupId);
        Map<TopicPartition, CommittedOffset> committed = consumerGroup != null ? consumerGroup.offsets
                : group != null ? group.offsets : null;
        if (committed == null) {
            return new FetchResult(Errors.NONE, Map.of());
        }
        if (partitions == null) {
            return new FetchResult(Errors.NONE, Map.copyOf(committed));
        }
        Map<TopicPartition, CommittedOffset> found = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            CommittedOffset offset = committed.get(tp);
            if (offset != null) {
                found.put(tp, offset);
            }
        }
        return new FetchResult(Errors.NONE, found);
    }

    void delete(String groupId, List<TopicPartition> partitions, Consumer<OffsetDeleteResult> respond) {
        Errors refusal = shard.notServing();
        if (refusal != null) {
            respond.accept(new OffsetDeleteResult(refusal, Map.of()));
            return;
        }
        ConsumerGroup consumerGroup = shard.consumerGroups.get(groupId);
        if (consumerGroup != null && !consumerGroup.dead) {
            deleteFrom(groupId, consumerGroup.offsets, shard.consumer.subscribedTopicNames(consumerGroup), partitions,
                    respond);
            return;
        }
        ClassicGroup group = shard.groups.get(groupId);
        if (group == null || group.state() == GroupState.DEAD) {
            respond.accept(new OffsetDeleteResult(Errors.GROUP_ID_NOT_FOUND, Map.of()));
            return;
        }
        Set<String> subscribed = Set.of();
        if (group.state() != GroupState.EMPTY) {
            if (!CONSUMER_PROTOCOL_TYPE.equals(group.protocolType)) {
                respond.accept(new OffsetDeleteResult(Errors.NON_EMPTY_GROUP, Map.of()));
                return;
            }
            subscribed = subscribedTopics(group);
        }
        deleteFrom(groupId, group.offsets, subscribed, partitions, respond);
    }

    /** Tombstones the offsets of {@code partitions} in {@code committed} except those of {@code subscribed} topics. */
    private void deleteFrom(String groupId, Map<TopicPartition, CommittedOffset> committed, Set<String> subscribed,
                            List<TopicPartition> partitions, Consumer<OffsetDeleteResult> respond) {
        Map<TopicPartition, Errors> results = new LinkedHashMap<>();
        List<GroupRecord> tombstones = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (subscribed.contains(tp.topic())) {
                results.put(tp, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
            } else {
                results.put(tp, Errors.NONE);
                if (committed.containsKey(tp)) {
                    tombstones.add(new OffsetRecord(groupId, tp.topic(), tp.partition(), null));
                }
            }
        }
        if (tombstones.isEmpty()) {
            respond.accept(new OffsetDeleteResult(Errors.NONE, results));
            return;
        }
        shard.write(tombstones, failure -> {
            if (failure != null) {
                respond.accept(new OffsetDeleteResult(GroupShard.writeError(failure), Map.of()));
                return;
            }
            for (GroupRecord record : tombstones) {
                OffsetRecord offset = (OffsetRecord) record;
                committed.remove(new TopicPartition(offset.topic(), offset.partition()));
            }
            respond.accept(new OffsetDeleteResult(Errors.NONE, results));
        });
    }

    /** Topics the members of a consumer group subscribe to, read from their subscriptions (undecodable ones skipped). */
    private static Set<String> subscribedTopics(ClassicGroup group) {
        Set<String> topics = new HashSet<>();
        for (ClassicMember member : group.members()) {
            byte[] metadata = group.protocolName == null ? null : member.metadata(group.protocolName);
            if (metadata == null) {
                continue;
            }
            try {
                ConsumerPartitionAssignor.Subscription subscription =
                        ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata));
                topics.addAll(subscription.topics());
            } catch (RuntimeException e) {
                // not a consumer subscription we can read: nothing to protect
            }
        }
        return topics;
    }

    private static Map<TopicPartition, Errors> all(Iterable<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> results = new LinkedHashMap<>();
        partitions.forEach(tp -> results.put(tp, error));
        return results;
    }
}
