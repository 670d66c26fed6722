package dev.stratus.broker.group;

import dev.stratus.broker.group.GroupMessages.JoinRequest;
import dev.stratus.broker.group.GroupMessages.JoinResult;
import dev.stratus.broker.group.GroupMessages.LeaveResult;
import dev.stratus.broker.group.GroupMessages.LeavingMember;
import dev.stratus.broker.group.GroupMessages.MemberLeaveResult;
import dev.stratus.broker.group.GroupMessages.SyncRequest;
import dev.stratus.broker.group.GroupMessages.SyncResult;
import dev.stratus.broker.group.GroupRecord.GroupMetadataRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic rebalance protocol of one shard's groups: JoinGroup (member ids, MEMBER_ID_REQUIRED,
 * static members), SyncGroup (the leader's assignment is written to {@code __consumer_offsets}
 * before anyone gets it), Heartbeat, LeaveGroup, and the timers: the join phase ends when every
 * member has rejoined or the longest rebalance timeout passes (dynamic members that did not
 * rejoin are removed), the first rebalance of an empty group waits
 * {@code group.initial.rebalance.delay.ms} for more members, and a member whose session timeout
 * passes without a heartbeat is removed.
 *
 * <p>Thread: the shard's thread, like the groups it changes.
 */
final class RebalanceOps {

    private static final Logger LOG = LoggerFactory.getLogger(RebalanceOps.class);

    private final GroupShard shard;

    RebalanceOps(GroupShard shard) {
        this.shard = shard;
    }

    // ---- JoinGroup

    void join(JoinRequest request, Consumer<JoinResult> respond) {
        String memberId = request.memberId() == null ? "" : request.memberId();
        GroupCoordinatorConfig config = shard.config;
        if (request.groupId() == null || request.groupId().isEmpty()) {
            respond.accept(JoinResult.error(Errors.INVALID_GROUP_ID, memberId));
            return;
        }
        Errors refusal = shard.notServing();
        if (refusal != null) {
            respond.accept(JoinResult.error(refusal, memberId));
            return;
        }
        if (request.sessionTimeoutMs() < config.minSessionTimeoutMs() || request.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            respond.accept(JoinResult.error(Errors.INVALID_SESSION_TIMEOUT, memberId));
            return;
        }
        if (request.protocolType() == null || request.protocolType().isEmpty() || request.protocols().isEmpty()) {
            respond.accept(JoinResult.error(Errors.INCONSISTENT_GROUP_PROTOCOL, memberId));
            return;
        }
        ConsumerGroup consumerGroup = shard.consumerGroups.get(request.groupId());
        if (consumerGroup != null && !consumerGroup.dead) {
            // A KIP-848 group: classic members may not join it (no online migration).
            respond.accept(JoinResult.error(Errors.INCONSISTENT_GROUP_PROTOCOL, memberId));
            return;
        }
        ClassicGroup group = shard.groups.get(request.groupId());
        if (group == null) {
            if (!memberId.isEmpty()) {
                respond.accept(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, memberId));
                return;
            }
            group = new ClassicGroup(request.groupId(), now());
            shard.groups.put(request.groupId(), group);
        }
        if (group.state() == GroupState.DEAD) {
            respond.accept(JoinResult.error(Errors.COORDINATOR_NOT_AVAILABLE, memberId));
            return;
        }
        if (!group.supportsProtocols(request.protocolType(), request.protocols())) {
            respond.accept(JoinResult.error(Errors.INCONSISTENT_GROUP_PROTOCOL, memberId));
            return;
        }
        if (memberId.isEmpty()) {
            joinNew(group, request, respond);
        } else {
            joinKnown(group, memberId, request, respond);
        }
    }

    private void joinNew(ClassicGroup group, JoinRequest request, Consumer<JoinResult> respond) {
        String instanceId = request.groupInstanceId();
        String existing = group.staticMemberId(instanceId);
        if (existing == null && group.size() + group.pendingMembers.size() >= shard.config.maxSize()) {
            respond.accept(JoinResult.error(Errors.GROUP_MAX_SIZE_REACHED, ""));
            return;
        }
        String newMemberId = (instanceId != null ? instanceId : request.clientId()) + "-" + UUID.randomUUID();
        if (existing != null) {
            replaceStaticMember(group, existing, newMemberId, request, respond);
        } else if (instanceId == null && request.requireKnownMemberId()) {
            group.pendingMembers.add(newMemberId);
            shard.scheduler.schedule(request.sessionTimeoutMs(), () -> expirePending(group, newMemberId));
            respond.accept(JoinResult.error(Errors.MEMBER_ID_REQUIRED, newMemberId));
        } else {
            addMemberAndRebalance(group, newMemberId, request, respond);
        }
    }

    private void joinKnown(ClassicGroup group, String memberId, JoinRequest request, Consumer<JoinResult> respond) {
        if (group.pendingMembers.remove(memberId)) {
            addMemberAndRebalance(group, memberId, request, respond);
            return;
        }
        Errors error = validateMember(group, memberId, request.groupInstanceId());
        if (error != Errors.NONE) {
            respond.accept(JoinResult.error(error, memberId));
            return;
        }
        ClassicMember member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE -> updateMemberAndRebalance(group, member, request, respond);
            case COMPLETING_REBALANCE -> {
                if (member.sameProtocols(request.protocols())) {
                    // The member lost our JoinGroup response: send it again.
                    respond.accept(currentJoinResult(group, member, false));
                } else {
                    updateMemberAndRebalance(group, member, request, respond);
                }
            }
            case STABLE -> {
                if (memberId.equals(group.leaderId) || !member.sameProtocols(request.protocols())) {
                    updateMemberAndRebalance(group, member, request, respond);
                } else {
                    scheduleExpiry(group, member);
                    respond.accept(currentJoinResult(group, member, false));
                }
            }
            default -> respond.accept(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, memberId));
        }
    }

    private JoinResult currentJoinResult(ClassicGroup group, ClassicMember member, boolean skipAssignment) {
        boolean leader = member.memberId.equals(group.leaderId);
        return new JoinResult(Errors.NONE, group.generationId, group.protocolType, group.protocolName, group.leaderId,
                member.memberId, leader ? group.subscriptions() : List.of(), skipAssignment && leader);
    }

    /** A static member joins again with no member id: it takes over its instance id, fencing the old member id. */
    private void replaceStaticMember(ClassicGroup group, String oldMemberId, String newMemberId, JoinRequest request,
                                     Consumer<JoinResult> respond) {
        ClassicMember old = group.member(oldMemberId);
        old.expiry.cancel();
        if (old.awaitingJoin != null) {
            old.awaitingJoin.accept(JoinResult.error(Errors.FENCED_INSTANCE_ID, oldMemberId));
        }
        if (old.awaitingSync != null) {
            old.awaitingSync.accept(SyncResult.error(Errors.FENCED_INSTANCE_ID));
        }
        ClassicMember replacement = old.withId(newMemberId);
        group.replace(oldMemberId, replacement);
        LOG.info("Group {}: static member {} rejoined as {}, {} fenced", group.groupId, request.groupInstanceId(),
                newMemberId, oldMemberId);
        boolean unchanged = replacement.sameProtocols(request.protocols());
        if (group.state() == GroupState.STABLE && unchanged) {
            replacement.update(request);
            scheduleExpiry(group, replacement);
            int generation = group.generationId;
            shard.write(List.of(new GroupMetadataRecord(group.groupId, group.snapshot())), error -> {
                if (error != null) {
                    respond.accept(JoinResult.error(GroupShard.writeError(error), newMemberId));
                } else if (group.generationId != generation || !group.has(newMemberId)) {
                    respond.accept(JoinResult.error(Errors.REBALANCE_IN_PROGRESS, newMemberId));
                } else {
                    respond.accept(currentJoinResult(group, replacement, true));
                }
            });
        } else {
            updateMemberAndRebalance(group, replacement, request, respond);
        }
    }

    private void addMemberAndRebalance(ClassicGroup group, String memberId, JoinRequest request,
                                       Consumer<JoinResult> respond) {
        ClassicMember member = new ClassicMember(memberId, request.groupInstanceId(), request.clientId(),
                request.clientHost(), request.sessionTimeoutMs(), request.rebalanceTimeoutMs(), request.protocols());
        group.add(member, request.protocolType());
        member.awaitingJoin = respond;
        group.newMemberAdded = true;
        scheduleExpiry(group, member);
        maybePrepareRebalance(group, "member " + memberId + " joined");
    }

    private void updateMemberAndRebalance(ClassicGroup group, ClassicMember member, JoinRequest request,
                                          Consumer<JoinResult> respond) {
        member.update(request);
        if (member.awaitingJoin != null && member.awaitingJoin != respond) {
            // A second JoinGroup while the first waits: Kafka answers the older one with the same outcome later; we
            // keep only the newest and tell the older one to retry.
            member.awaitingJoin.accept(JoinResult.error(Errors.REBALANCE_IN_PROGRESS, member.memberId));
        }
        member.awaitingJoin = respond;
        scheduleExpiry(group, member);
        maybePrepareRebalance(group, "member " + member.memberId + " rejoined");
    }

    private void maybePrepareRebalance(ClassicGroup group, String reason) {
        switch (group.state()) {
            case EMPTY -> {
                if (!group.isEmpty()) {
                    prepareRebalance(group, reason);
                }
            }
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, reason);
            case PREPARING_REBALANCE -> checkJoinComplete(group);
            default -> { }
        }
    }

    private void prepareRebalance(ClassicGroup group, String reason) {
        if (group.state() == GroupState.COMPLETING_REBALANCE) {
            respondToSyncWaiters(group, Errors.REBALANCE_IN_PROGRESS);
        }
        boolean initial = group.state() == GroupState.EMPTY;
        group.transition(GroupState.PREPARING_REBALANCE, now());
        group.joinTimer.cancel();
        int generation = group.generationId;
        LOG.info("Group {}: preparing rebalance of generation {} ({})", group.groupId, generation, reason);
        int delayMs = shard.config.initialRebalanceDelayMs();
        if (initial && delayMs > 0) {
            group.initialDelayPhase = true;
            group.newMemberAdded = false;
            long remaining = Math.max(0, group.maxRebalanceTimeoutMs() - delayMs);
            group.joinTimer = shard.scheduler.schedule(delayMs, () -> initialDelayExpired(group, generation, remaining));
        } else {
            group.initialDelayPhase = false;
            group.joinTimer = shard.scheduler.schedule(group.maxRebalanceTimeoutMs(),
                    () -> joinTimeout(group, generation));
            checkJoinComplete(group);
        }
    }

    private void initialDelayExpired(ClassicGroup group, int generation, long remainingMs) {
        if (group.state() != GroupState.PREPARING_REBALANCE || group.generationId != generation) {
            return;
        }
        if (group.newMemberAdded && remainingMs > 0) {
            group.newMemberAdded = false;
            long delayMs = Math.min(shard.config.initialRebalanceDelayMs(), remainingMs);
            group.joinTimer = shard.scheduler.schedule(delayMs,
                    () -> initialDelayExpired(group, generation, remainingMs - delayMs));
            return;
        }
        group.initialDelayPhase = false;
        completeJoin(group);
    }

    private void joinTimeout(ClassicGroup group, int generation) {
        if (group.state() == GroupState.PREPARING_REBALANCE && group.generationId == generation && !group.initialDelayPhase) {
            completeJoin(group);
        }
    }

    private void checkJoinComplete(ClassicGroup group) {
        if (group.state() == GroupState.PREPARING_REBALANCE && !group.initialDelayPhase && group.allMembersJoined()) {
            completeJoin(group);
        }
    }

    /** Ends the join phase: drops dynamic members that did not rejoin, starts the next generation. */
    private void completeJoin(ClassicGroup group) {
        group.joinTimer.cancel();
        for (ClassicMember member : List.copyOf(group.members())) {
            if (member.awaitingJoin == null && !member.isStatic()) {
                LOG.info("Group {}: member {} did not rejoin in time; removed", group.groupId, member.memberId);
                member.expiry.cancel();
                group.remove(member.memberId);
            }
        }
        group.generationId++;
        if (group.isEmpty()) {
            group.protocolName = null;
            group.leaderId = null;
            group.transition(GroupState.EMPTY, now());
            LOG.info("Group {}: generation {} is empty", group.groupId, group.generationId);
            shard.write(List.of(new GroupMetadataRecord(group.groupId, group.snapshot())), error -> { });
            return;
        }
        group.protocolName = group.selectProtocol();
        ClassicMember leader = group.member(group.leaderId);
        if (leader == null || leader.awaitingJoin == null) {
            group.members().stream().filter(m -> m.awaitingJoin != null).findFirst()
                    .ifPresent(m -> group.leaderId = m.memberId);
        }
        group.transition(GroupState.COMPLETING_REBALANCE, now());
        LOG.info("Group {}: generation {} with {} member(s), protocol {}, leader {}", group.groupId, group.generationId,
                group.size(), group.protocolName, group.leaderId);
        for (ClassicMember member : group.members()) {
            Consumer<JoinResult> waiting = member.awaitingJoin;
            if (waiting != null) {
                member.awaitingJoin = null;
                scheduleExpiry(group, member);
                waiting.accept(currentJoinResult(group, member, false));
            }
        }
    }

    // ---- SyncGroup

    void sync(SyncRequest request, Consumer<SyncResult> respond) {
        Errors refusal = shard.notServing();
        if (refusal != null) {
            respond.accept(SyncResult.error(refusal));
            return;
        }
        ClassicGroup group = shard.groups.get(request.groupId());
        if (group == null) {
            respond.accept(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
            return;
        }
        if (group.state() == GroupState.DEAD) {
            respond.accept(SyncResult.error(Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        Errors error = validateMember(group, request.memberId(), request.groupInstanceId());
        if (error == Errors.NONE && request.generationId() != group.generationId) {
            error = Errors.ILLEGAL_GENERATION;
        }
        if (error == Errors.NONE && (request.protocolType() != null && !request.protocolType().equals(group.protocolType)
                || request.protocolName() != null && !request.protocolName().equals(group.protocolName))) {
            error = Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        if (error != Errors.NONE) {
            respond.accept(SyncResult.error(error));
            return;
        }
        ClassicMember member = group.member(request.memberId());
        switch (group.state()) {
            case PREPARING_REBALANCE -> respond.accept(SyncResult.error(Errors.REBALANCE_IN_PROGRESS));
            case STABLE -> {
                scheduleExpiry(group, member);
                respond.accept(new SyncResult(Errors.NONE, group.protocolType, group.protocolName, member.assignment));
            }
            case COMPLETING_REBALANCE -> {
                member.awaitingSync = respond;
                scheduleExpiry(group, member);
                if (member.memberId.equals(group.leaderId)) {
                    storeAssignment(group, request.assignments());
                }
            }
            default -> respond.accept(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
        }
    }

    /** The leader's assignment: written to the log, then handed to every member and the group becomes Stable. */
    private void storeAssignment(ClassicGroup group, Map<String, byte[]> assignments) {
        for (ClassicMember member : group.members()) {
            byte[] assignment = assignments.get(member.memberId);
            member.assignment = assignment == null ? new byte[0] : assignment;
        }
        int generation = group.generationId;
        shard.write(List.of(new GroupMetadataRecord(group.groupId, group.snapshot())), error -> {
            if (group.state() != GroupState.COMPLETING_REBALANCE || group.generationId != generation) {
                return;
            }
            if (error != null) {
                for (ClassicMember member : group.members()) {
                    member.assignment = new byte[0];
                }
                respondToSyncWaiters(group, GroupShard.writeError(error));
                prepareRebalance(group, "the assignment could not be stored");
                return;
            }
            group.transition(GroupState.STABLE, now());
            LOG.info("Group {}: generation {} is stable", group.groupId, generation);
            respondToSyncWaiters(group, Errors.NONE);
        });
    }

    private void respondToSyncWaiters(ClassicGroup group, Errors error) {
        for (ClassicMember member : group.members()) {
            Consumer<SyncResult> waiting = member.awaitingSync;
            if (waiting != null) {
                member.awaitingSync = null;
                waiting.accept(error == Errors.NONE
                        ? new SyncResult(Errors.NONE, group.protocolType, group.protocolName, member.assignment)
                        : SyncResult.error(error));
            }
        }
    }

    // ---- Heartbeat

    Errors heartbeat(String groupId, int generationId, String memberId, String groupInstanceId) {
        Errors refusal = shard.notServing();
        if (refusal != null) {
            return refusal;
        }
        ClassicGroup group = shard.groups.get(groupId);
        if (group == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (group.state() == GroupState.DEAD) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        Errors error = validateMember(group, memberId, groupInstanceId);
        if (error != Errors.NONE) {
            return error;
        }
        if (generationId != group.generationId) {
            return Errors.ILLEGAL_GENERATION;
        }
        ClassicMember member = group.member(memberId);
        return switch (group.state()) {
            case PREPARING_REBALANCE -> {
                scheduleExpiry(group, member);
                yield Errors.REBALANCE_IN_PROGRESS;
            }
            case STABLE, COMPLETING_REBALANCE -> {
                scheduleExpiry(group, member);
                yield Errors.NONE;
            }
            default -> Errors.UNKNOWN_MEMBER_ID;
        };
    }

    // ---- LeaveGroup

    LeaveResult leave(String groupId, List<LeavingMember> leaving) {
        Errors refusal = shard.notServing();
        if (refusal != null) {
            return new LeaveResult(refusal, List.of());
        }
        ClassicGroup group = shard.groups.get(groupId);
        if (group == null || group.state() == GroupState.DEAD) {
            return new LeaveResult(Errors.UNKNOWN_MEMBER_ID, List.of());
        }
        List<MemberLeaveResult> results = new ArrayList<>();
        boolean changed = false;
        for (LeavingMember target : leaving) {
            String memberId = target.memberId() == null ? "" : target.memberId();
            Errors error;
            String removeId = null;
            if (target.groupInstanceId() != null) {
                String current = group.staticMemberId(target.groupInstanceId());
                if (current == null) {
                    error = Errors.UNKNOWN_MEMBER_ID;
                } else if (!memberId.isEmpty() && !memberId.equals(current)) {
                    error = Errors.FENCED_INSTANCE_ID;
                } else {
                    error = Errors.NONE;
                    removeId = current;
                }
            } else if (group.pendingMembers.remove(memberId)) {
                error = Errors.NONE;
                changed = true;
            } else if (!group.has(memberId)) {
                error = Errors.UNKNOWN_MEMBER_ID;
            } else {
                error = Errors.NONE;
                removeId = memberId;
            }
            if (removeId != null) {
                LOG.info("Group {}: member {} left", groupId, removeId);
                removeMember(group, group.member(removeId));
                changed = true;
            }
            results.add(new MemberLeaveResult(memberId, target.groupInstanceId(), error));
        }
        if (changed) {
            maybePrepareRebalance(group, "members left");
        }
        return new LeaveResult(Errors.NONE, results);
    }

    // ---- membership helpers

    /** UNKNOWN_MEMBER_ID or FENCED_INSTANCE_ID when the caller is not the group's current member. */
    static Errors validateMember(ClassicGroup group, String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String current = group.staticMemberId(groupInstanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!current.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        return memberId != null && group.has(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    private void removeMember(ClassicGroup group, ClassicMember member) {
        member.expiry.cancel();
        group.remove(member.memberId);
        if (member.awaitingJoin != null) {
            member.awaitingJoin.accept(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, member.memberId));
            member.awaitingJoin = null;
        }
        if (member.awaitingSync != null) {
            member.awaitingSync.accept(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
            member.awaitingSync = null;
        }
    }

    /** (Re)starts the member's session timer. */
    void scheduleExpiry(ClassicGroup group, ClassicMember member) {
        member.expiry.cancel();
        member.expiry = shard.scheduler.schedule(member.sessionTimeoutMs, () -> sessionExpired(group, member));
    }

    private void sessionExpired(ClassicGroup group, ClassicMember member) {
        if (shard.groups.get(group.groupId) != group || group.member(member.memberId) != member) {
            return;
        }
        if (member.awaitingJoin != null || member.awaitingSync != null) {
            scheduleExpiry(group, member); // a member waiting for our answer is alive
            return;
        }
        LOG.info("Group {}: member {} missed its session timeout of {} ms; removed", group.groupId, member.memberId,
                member.sessionTimeoutMs);
        removeMember(group, member);
        maybePrepareRebalance(group, "member " + member.memberId + " expired");
    }

    private void expirePending(ClassicGroup group, String memberId) {
        if (group.pendingMembers.remove(memberId)) {
            checkJoinComplete(group);
        }
    }

    private long now() {
        return shard.scheduler.nowMs();
    }
}
