package dev.stratus.broker.group;

import dev.stratus.broker.group.GroupMessages.JoinResult;
import dev.stratus.broker.group.GroupMessages.Protocol;
import dev.stratus.broker.group.GroupMessages.SyncResult;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One member of a classic group: what it said in its last JoinGroup (timeouts, protocols), the
 * assignment the leader gave it, and the responses it is waiting for. Owned by the group's
 * shard thread.
 */
final class ClassicMember {

    final String memberId;
    final String groupInstanceId;
    String clientId;
    String clientHost;
    int sessionTimeoutMs;
    int rebalanceTimeoutMs;
    List<Protocol> protocols;
    byte[] assignment = new byte[0];
    Consumer<JoinResult> awaitingJoin;
    Consumer<SyncResult> awaitingSync;
    GroupScheduler.Cancellable expiry = GroupScheduler.Cancellable.NONE;

    ClassicMember(String memberId, String groupInstanceId, String clientId, String clientHost, int sessionTimeoutMs,
                  int rebalanceTimeoutMs, List<Protocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.protocols = List.copyOf(protocols);
    }

    /** The same member under a new id (a static member rejoining): assignment kept, nothing pending. */
    ClassicMember withId(String newMemberId) {
        ClassicMember copy = new ClassicMember(newMemberId, groupInstanceId, clientId, clientHost, sessionTimeoutMs,
                rebalanceTimeoutMs, protocols);
        copy.assignment = assignment;
        return copy;
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    boolean supports(String protocolName) {
        return metadata(protocolName) != null;
    }

    /** The subscription bytes for {@code protocolName}, null if the member does not support it. */
    byte[] metadata(String protocolName) {
        for (Protocol protocol : protocols) {
            if (protocol.name().equals(protocolName)) {
                return protocol.metadata();
            }
        }
        return null;
    }

    /** Whether {@code other} names the same protocols, in the same order, with the same metadata. */
    boolean sameProtocols(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            Protocol mine = protocols.get(i);
            Protocol theirs = other.get(i);
            if (!mine.name().equals(theirs.name()) || !Arrays.equals(mine.metadata(), theirs.metadata())) {
                return false;
            }
        }
        return true;
    }

    void update(GroupMessages.JoinRequest request) {
        clientId = request.clientId();
        clientHost = request.clientHost();
        sessionTimeoutMs = request.sessionTimeoutMs();
        rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        protocols = List.copyOf(request.protocols());
    }
}
