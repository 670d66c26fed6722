package dev.stratus.broker.group;

import dev.stratus.broker.group.GroupMessages.ConsumerGroupDescription;
import dev.stratus.broker.group.GroupMessages.ConsumerHeartbeat;
import dev.stratus.broker.group.GroupMessages.ConsumerHeartbeatResult;
import dev.stratus.broker.group.GroupMessages.ConsumerMemberDescription;
import dev.stratus.broker.group.GroupRecord.ConsumerGroupRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KIP-848 consumer group protocol of one shard's groups: ConsumerGroupHeartbeat (join with
 * epoch 0, leave with -1 or -2, fencing of stale epochs, subscription and assignor changes), the
 * group epoch and the server-side target assignment, each member's reconciliation
 * ({@link MemberReconciler}), session and revocation timeouts, and ConsumerGroupDescribe. Every
 * change is written to {@code __consumer_offsets} as a consumer group record before the heartbeat
 * that caused it is answered.
 *
 * <p>Thread: the shard's thread, like the groups it changes.
 */
final class ConsumerGroupOps {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupOps.class);
    static final int LEAVE_EPOCH = -1;
    static final int LEAVE_STATIC_EPOCH = -2;

    private final GroupShard shard;
    private final TopicsView topics;

    ConsumerGroupOps(GroupShard shard, TopicsView topics) {
        this.shard = shard;
        this.topics = topics;
    }

    // ---- ConsumerGroupHeartbeat

    void heartbeat(ConsumerHeartbeat request, Consumer<ConsumerHeartbeatResult> respond) {
        String invalid = invalidRequest(request);
        if (invalid != null) {
            respond.accept(ConsumerHeartbeatResult.error(Errors.INVALID_REQUEST, invalid));
            return;
        }
        Errors refusal = shard.notServing();
        if (refusal != null) {
            respond.accept(ConsumerHeartbeatResult.error(refusal, null));
            return;
        }
        if (request.serverAssignor() != null && ServerAssignor.byName(request.serverAssignor()) == null) {
            respond.accept(ConsumerHeartbeatResult.error(Errors.UNSUPPORTED_ASSIGNOR,
                    "Unsupported assignor " + request.serverAssignor() + "; this broker offers uniform and range."));
            return;
        }
        if (request.subscribedTopicRegex() != null && !request.subscribedTopicRegex().isEmpty()) {
            try {
                Pattern.compile(request.subscribedTopicRegex());
            } catch (PatternSyntaxException e) {
                respond.accept(ConsumerHeartbeatResult.error(Errors.INVALID_REGULAR_EXPRESSION, e.getMessage()));
                return;
            }
        }
        int epoch = request.memberEpoch();
        ConsumerGroup group = groupFor(request.groupId(), epoch == 0);
        if (group == null) {
            respond.accept(ConsumerHeartbeatResult.error(Errors.GROUP_ID_NOT_FOUND,
                    "Group " + request.groupId() + " is not a consumer group or does not exist."));
            return;
        }
        String memberId = request.memberId().isEmpty() ? Uuid.randomUuid().toString() : request.memberId();
        ConsumerMember member = group.members.get(memberId);
        boolean joined = false;
        if (epoch == 0) {
            String holder = request.instanceId() == null ? null : instanceHolder(group, request.instanceId());
            if (holder != null && !holder.equals(memberId)) {
                respond.accept(ConsumerHeartbeatResult.error(Errors.UNRELEASED_INSTANCE_ID,
                        "Instance id " + request.instanceId() + " is in use by another member."));
                return;
            }
            if (group.members.size() >= shard.config.maxSize() && member == null) {
                respond.accept(ConsumerHeartbeatResult.error(Errors.GROUP_MAX_SIZE_REACHED, null));
                return;
            }
            if (member == null) {
                member = new ConsumerMember(memberId);
                group.members.put(memberId, member);
                joined = true;
            }
            // A member (re)joining owns nothing.
            member.assigned = Assignment.EMPTY;
            member.revoking = Assignment.EMPTY;
            member.state = ConsumerMember.State.STABLE;
            member.memberEpoch = 0;
        } else {
            if (member == null) {
                respond.accept(ConsumerHeartbeatResult.error(Errors.UNKNOWN_MEMBER_ID,
                        "Member " + memberId + " is not a member of group " + request.groupId() + "."));
                return;
            }
            if (epoch == LEAVE_EPOCH || epoch == LEAVE_STATIC_EPOCH) {
                leave(group, member, epoch, respond);
                return;
            }
            if (fenced(member, epoch, request.ownedPartitions())) {
                respond.accept(ConsumerHeartbeatResult.error(Errors.FENCED_MEMBER_EPOCH, "The member epoch " + epoch
                        + " is fenced; the current member epoch is " + member.memberEpoch + "."));
                return;
            }
        }
        boolean subscriptionChanged = update(member, request);
        boolean groupChanged = refreshTarget(group, joined || subscriptionChanged);
        Assignment before = member.assigned;
        ConsumerMember.State stateBefore = member.state;
        Assignment owned = epoch == 0 ? Assignment.EMPTY : request.ownedPartitions();
        boolean memberChanged = MemberReconciler.reconcile(member, group.target(memberId), group.assignmentEpoch,
                owned, group.heldByOthers(memberId));
        armRevocationTimeout(group, member, stateBefore);
        scheduleExpiry(group, member);
        boolean sendAssignment = epoch == 0 || epoch != member.memberEpoch || !before.equals(member.assigned);
        ConsumerHeartbeatResult result = new ConsumerHeartbeatResult(Errors.NONE, null, memberId, member.memberEpoch,
                shard.config.consumerHeartbeatIntervalMs(), sendAssignment ? member.assigned : null);
        if (!(joined || subscriptionChanged || groupChanged || memberChanged)) {
            respond.accept(result);
            return;
        }
        persist(group, error -> respond.accept(error == null ? result
                : ConsumerHeartbeatResult.error(GroupShard.writeError(error), null)));
    }

    private static String invalidRequest(ConsumerHeartbeat request) {
        int epoch = request.memberEpoch();
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return "GroupId can't be empty.";
        }
        if (request.memberId() == null || request.memberId().isEmpty()
                && (request.clientGeneratesMemberId() || epoch != 0)) {
            return "MemberId can't be empty.";
        }
        if (epoch < LEAVE_STATIC_EPOCH) {
            return "MemberEpoch is invalid: " + epoch + ".";
        }
        if (epoch == LEAVE_STATIC_EPOCH && request.instanceId() == null) {
            return "InstanceId can't be null when leaving with epoch -2.";
        }
        if (epoch == 0 && request.rebalanceTimeoutMs() == -1) {
            return "RebalanceTimeoutMs must be provided in first request.";
        }
        if (epoch == 0 && request.subscribedTopicNames() == null && request.subscribedTopicRegex() == null) {
            return "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.";
        }
        return null;
    }

    /** The consumer group {@code groupId}; an empty classic group of that id (offsets only) is converted. Null if none. */
    private ConsumerGroup groupFor(String groupId, boolean create) {
        ConsumerGroup group = shard.consumerGroups.get(groupId);
        if (group != null && !group.dead) {
            return group;
        }
        ClassicGroup classic = shard.groups.get(groupId);
        if (classic != null && classic.state() != GroupState.DEAD && (!classic.isEmpty() || !create)) {
            return null;
        }
        if (!create) {
            return null;
        }
        group = new ConsumerGroup(groupId);
        if (classic != null) {
            group.offsets.putAll(classic.offsets);
            shard.groups.remove(groupId);
        }
        shard.consumerGroups.put(groupId, group);
        return group;
    }

    private static String instanceHolder(ConsumerGroup group, String instanceId) {
        for (ConsumerMember member : group.members()) {
            if (instanceId.equals(member.instanceId)) {
                return member.memberId;
            }
        }
        return null;
    }

    /** Whether {@code epoch} may not be used: newer than the member's, or older and not its previous epoch with owned partitions it still has. */
    private static boolean fenced(ConsumerMember member, int epoch, Assignment owned) {
        if (epoch > member.memberEpoch) {
            return true;
        }
        if (epoch < member.memberEpoch) {
            return epoch != member.previousMemberEpoch || owned != null && !owned.minus(member.assigned).isEmpty();
        }
        return false;
    }

    /** Applies the fields the heartbeat carries; returns whether the subscription or assignor changed. */
    private static boolean update(ConsumerMember member, ConsumerHeartbeat request) {
        boolean changed = false;
        if (request.subscribedTopicNames() != null && !request.subscribedTopicNames().equals(member.subscribedTopicNames)) {
            member.subscribedTopicNames = List.copyOf(request.subscribedTopicNames());
            changed = true;
        }
        if (request.subscribedTopicRegex() != null) {
            String regex = request.subscribedTopicRegex().isEmpty() ? null : request.subscribedTopicRegex();
            changed |= !Objects.equals(regex, member.subscribedTopicRegex);
            member.subscribedTopicRegex = regex;
        }
        if (request.serverAssignor() != null && !request.serverAssignor().equals(member.serverAssignor)) {
            member.serverAssignor = request.serverAssignor();
            changed = true;
        }
        if (request.rebalanceTimeoutMs() != -1) {
            member.rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        }
        if (request.rackId() != null) {
            member.rackId = request.rackId();
        }
        if (request.instanceId() != null) {
            member.instanceId = request.instanceId();
        }
        member.clientId = request.clientId();
        member.clientHost = request.clientHost();
        return changed;
    }

    private void leave(ConsumerGroup group, ConsumerMember member, int epoch, Consumer<ConsumerHeartbeatResult> respond) {
        remove(group, member);
        ConsumerHeartbeatResult result = new ConsumerHeartbeatResult(Errors.NONE, null, member.memberId, epoch,
                shard.config.consumerHeartbeatIntervalMs(), null);
        persist(group, error -> respond.accept(error == null ? result
                : ConsumerHeartbeatResult.error(GroupShard.writeError(error), null)));
    }

    private void remove(ConsumerGroup group, ConsumerMember member) {
        member.cancelTimers();
        group.members.remove(member.memberId);
        group.targets.remove(member.memberId);
        refreshTarget(group, true);
    }

    /**
     * Resolves the group's subscriptions against the current topics; bumps the group epoch if
     * {@code membershipChanged}, the subscribed partitions changed or the assignor changed, and
     * then computes the new target assignment. Returns whether the group epoch moved.
     */
    private boolean refreshTarget(ConsumerGroup group, boolean membershipChanged) {
        Map<String, Set<Uuid>> subscriptions = new TreeMap<>();
        Map<Uuid, Integer> counts = new HashMap<>();
        List<TopicsView.Topic> all = null;
        for (ConsumerMember member : group.members()) {
            Set<Uuid> ids = new HashSet<>();
            for (String name : member.subscribedTopicNames) {
                TopicsView.Topic topic = topics.byName(name);
                if (topic != null) {
                    ids.add(topic.id());
                    counts.put(topic.id(), topic.partitions());
                }
            }
            if (member.subscribedTopicRegex != null) {
                Pattern pattern = Pattern.compile(member.subscribedTopicRegex);
                all = all != null ? all : List.copyOf(topics.all());
                for (TopicsView.Topic topic : all) {
                    if (!topic.name().equals(OffsetsTopicLog.TOPIC) && pattern.matcher(topic.name()).matches()) {
                        ids.add(topic.id());
                        counts.put(topic.id(), topic.partitions());
                    }
                }
            }
            subscriptions.put(member.memberId, ids);
        }
        String assignor = selectAssignor(group);
        if (!membershipChanged && counts.equals(group.subscribedPartitions) && assignor.equals(group.assignorName)) {
            return false;
        }
        group.groupEpoch++;
        group.subscribedPartitions = Map.copyOf(counts);
        group.assignorName = assignor;
        Map<String, Assignment> previous = new HashMap<>(group.targets);
        group.targets.clear();
        group.targets.putAll(ServerAssignor.byName(assignor).assign(subscriptions, counts, previous));
        group.assignmentEpoch = group.groupEpoch;
        return true;
    }

    /** The assignor most members ask for (ties: the name first in alphabetical order); uniform when none asks. */
    private static String selectAssignor(ConsumerGroup group) {
        Map<String, Integer> votes = new TreeMap<>();
        for (ConsumerMember member : group.members()) {
            if (member.serverAssignor != null) {
                votes.merge(member.serverAssignor, 1, Integer::sum);
            }
        }
        String best = UniformAssignor.NAME;
        int bestVotes = 0;
        for (Map.Entry<String, Integer> vote : votes.entrySet()) {
            if (vote.getValue() > bestVotes) {
                best = vote.getKey();
                bestVotes = vote.getValue();
            }
        }
        return best;
    }

    // ---- timers

    void scheduleExpiry(ConsumerGroup group, ConsumerMember member) {
        member.sessionExpiry.cancel();
        member.sessionExpiry = shard.scheduler.schedule(shard.config.consumerSessionTimeoutMs(),
                () -> expire(group, member, "its session timed out"));
    }

    private void armRevocationTimeout(ConsumerGroup group, ConsumerMember member, ConsumerMember.State before) {
        boolean revoking = member.state == ConsumerMember.State.UNREVOKED_PARTITIONS;
        if (revoking && before != ConsumerMember.State.UNREVOKED_PARTITIONS) {
            member.revocationTimeout = shard.scheduler.schedule(Math.max(0, member.rebalanceTimeoutMs),
                    () -> expire(group, member, "it did not revoke its partitions within its rebalance timeout"));
        } else if (!revoking) {
            member.revocationTimeout.cancel();
        }
    }

    private void expire(ConsumerGroup group, ConsumerMember member, String reason) {
        if (group.members.get(member.memberId) != member || shard.consumerGroups.get(group.groupId) != group) {
            return;
        }
        LOG.info("Removing member {} of consumer group {}: {}", member.memberId, group.groupId, reason);
        remove(group, member);
        persist(group, error -> { });
    }

    /** Restarts the session timers of a loaded group's members. */
    void restored(ConsumerGroup group) {
        group.members().forEach(member -> scheduleExpiry(group, member));
    }

    private void persist(ConsumerGroup group, Consumer<Throwable> done) {
        shard.write(List.of(new ConsumerGroupRecord(group.groupId, group.snapshot())), done);
    }

    // ---- ConsumerGroupDescribe

    ConsumerGroupDescription describe(String groupId) {
        Errors refusal = shard.notServing();
        if (refusal != null) {
            return new ConsumerGroupDescription(refusal, null, groupId, "", 0, 0, "", List.of());
        }
        ConsumerGroup group = shard.consumerGroups.get(groupId);
        if (group == null || group.dead) {
            String message = shard.groups.containsKey(groupId)
                    ? "Group " + groupId + " is not a consumer group." : "Group " + groupId + " not found.";
            return new ConsumerGroupDescription(Errors.GROUP_ID_NOT_FOUND, message, groupId, "", 0, 0, "", List.of());
        }
        List<ConsumerMemberDescription> members = new ArrayList<>();
        for (ConsumerMember m : group.members()) {
            members.add(new ConsumerMemberDescription(m.memberId, m.instanceId, m.rackId, m.memberEpoch, m.clientId,
                    m.clientHost, m.subscribedTopicNames, m.subscribedTopicRegex, m.assigned, group.target(m.memberId)));
        }
        return new ConsumerGroupDescription(Errors.NONE, null, groupId, group.state().kafkaName, group.groupEpoch,
                group.assignmentEpoch, group.assignorName, members);
    }

    /** Topic names of the group's members' subscriptions (for OffsetDelete), regexes resolved now. */
    Set<String> subscribedTopicNames(ConsumerGroup group) {
        Set<String> names = new HashSet<>();
        for (ConsumerMember member : group.members()) {
            names.addAll(member.subscribedTopicNames);
            if (member.subscribedTopicRegex != null) {
                Pattern pattern = Pattern.compile(member.subscribedTopicRegex);
                topics.all().stream().map(TopicsView.Topic::name).filter(n -> pattern.matcher(n).matches())
                        .forEach(names::add);
            }
        }
        return names;
    }
}
