package dev.stratus.broker.group;

import dev.stratus.broker.group.GroupMessages.CommittedOffset;
import dev.stratus.broker.group.GroupMessages.MemberSubscription;
import dev.stratus.broker.group.GroupMessages.Protocol;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * One classic group's state: its state machine position, generation, selected protocol,
 * leader, members (dynamic and static), members that were given an id but have not joined yet
 * (MEMBER_ID_REQUIRED), timers of the current rebalance, and the committed offsets. The
 * transitions themselves are decided by {@link RebalanceOps}. Owned by the shard thread.
 */
final class ClassicGroup {

    final String groupId;
    private GroupState state = GroupState.EMPTY;
    private long stateTimestampMs;
    int generationId;
    String protocolType;
    String protocolName;
    String leaderId;
    private final Map<String, ClassicMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    final Set<String> pendingMembers = new HashSet<>();
    final Map<TopicPartition, CommittedOffset> offsets = new LinkedHashMap<>();
    GroupScheduler.Cancellable joinTimer = GroupScheduler.Cancellable.NONE;
    boolean initialDelayPhase;
    boolean newMemberAdded;

    ClassicGroup(String groupId, long nowMs) {
        this.groupId = groupId;
        this.stateTimestampMs = nowMs;
    }

    GroupState state() {
        return state;
    }

    long stateTimestampMs() {
        return stateTimestampMs;
    }

    void transition(GroupState next, long nowMs) {
        state = next;
        stateTimestampMs = nowMs;
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    int size() {
        return members.size();
    }

    boolean has(String memberId) {
        return members.containsKey(memberId);
    }

    ClassicMember member(String memberId) {
        return members.get(memberId);
    }

    Collection<ClassicMember> members() {
        return members.values();
    }

    /** The current member id of a static member, or null. */
    String staticMemberId(String groupInstanceId) {
        return groupInstanceId == null ? null : staticMembers.get(groupInstanceId);
    }

    /** Adds a member; the first member of an empty group sets the group's protocol type. */
    void add(ClassicMember member, String requestedProtocolType) {
        if (members.isEmpty()) {
            protocolType = requestedProtocolType;
        }
        members.put(member.memberId, member);
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId, member.memberId);
        }
        if (leaderId == null) {
            leaderId = member.memberId;
        }
    }

    void remove(String memberId) {
        ClassicMember removed = members.remove(memberId);
        if (removed != null && removed.isStatic() && memberId.equals(staticMembers.get(removed.groupInstanceId))) {
            staticMembers.remove(removed.groupInstanceId);
        }
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /** Replaces a static member's old id by its new one, keeping its place, assignment and leadership. */
    void replace(String oldMemberId, ClassicMember replacement) {
        Map<String, ClassicMember> copy = new LinkedHashMap<>(members);
        members.clear();
        for (Map.Entry<String, ClassicMember> entry : copy.entrySet()) {
            if (entry.getKey().equals(oldMemberId)) {
                members.put(replacement.memberId, replacement);
            } else {
                members.put(entry.getKey(), entry.getValue());
            }
        }
        staticMembers.put(replacement.groupInstanceId, replacement.memberId);
        if (oldMemberId.equals(leaderId)) {
            leaderId = replacement.memberId;
        }
    }

    /** Whether a member asking for {@code type} with {@code protocols} may join. */
    boolean supportsProtocols(String type, List<Protocol> protocols) {
        if (members.isEmpty()) {
            return type != null && !type.isEmpty() && !protocols.isEmpty();
        }
        if (!type.equals(protocolType)) {
            return false;
        }
        for (Protocol protocol : protocols) {
            if (members.values().stream().allMatch(m -> m.supports(protocol.name()))) {
                return true;
            }
        }
        return false;
    }

    /** The protocol all members support that most members prefer (ties: the earlier member's preference). */
    String selectProtocol() {
        Set<String> candidates = new LinkedHashSet<>();
        ClassicMember first = members.values().iterator().next();
        for (Protocol protocol : first.protocols) {
            if (members.values().stream().allMatch(m -> m.supports(protocol.name()))) {
                candidates.add(protocol.name());
            }
        }
        Map<String, Integer> votes = new LinkedHashMap<>();
        candidates.forEach(c -> votes.put(c, 0));
        for (ClassicMember member : members.values()) {
            for (Protocol protocol : member.protocols) {
                if (candidates.contains(protocol.name())) {
                    votes.merge(protocol.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        int bestVotes = -1;
        for (Map.Entry<String, Integer> entry : votes.entrySet()) {
            if (entry.getValue() > bestVotes) {
                best = entry.getKey();
                bestVotes = entry.getValue();
            }
        }
        return best;
    }

    boolean allMembersJoined() {
        return pendingMembers.isEmpty() && members.values().stream().allMatch(m -> m.awaitingJoin != null);
    }

    int maxRebalanceTimeoutMs() {
        return members.values().stream().mapToInt(m -> m.rebalanceTimeoutMs).max().orElse(0);
    }

    List<MemberSubscription> subscriptions() {
        List<MemberSubscription> result = new ArrayList<>();
        for (ClassicMember member : members.values()) {
            byte[] metadata = member.metadata(protocolName);
            result.add(new MemberSubscription(member.memberId, member.groupInstanceId,
                    metadata == null ? new byte[0] : metadata));
        }
        return result;
    }

    /** What {@code __consumer_offsets} keeps of this group (offsets are separate records). */
    GroupRecord.GroupSnapshot snapshot() {
        List<GroupRecord.MemberSnapshot> snapshots = new ArrayList<>();
        for (ClassicMember member : members.values()) {
            byte[] metadata = protocolName == null ? null : member.metadata(protocolName);
            snapshots.add(new GroupRecord.MemberSnapshot(member.memberId, member.groupInstanceId, member.clientId,
                    member.clientHost, member.rebalanceTimeoutMs, member.sessionTimeoutMs,
                    metadata == null ? new byte[0] : metadata, member.assignment));
        }
        return new GroupRecord.GroupSnapshot(protocolType, generationId, protocolName, leaderId, stateTimestampMs,
                snapshots);
    }
}
