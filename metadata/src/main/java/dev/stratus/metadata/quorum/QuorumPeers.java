package dev.stratus.metadata.quorum;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * The Ratis names of the quorum: the group (one per cluster, its id derived from the cluster
 * id, so that a node of another cluster can never join it) and one peer per voter, named by
 * its node id. Stateless.
 */
final class QuorumPeers {

    private QuorumPeers() {
    }

    static RaftGroupId groupId(String clusterId) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("stratus-metadata:" + clusterId).getBytes(StandardCharsets.UTF_8)));
    }

    static RaftGroup group(String clusterId, List<QuorumVoter> voters) {
        return RaftGroup.valueOf(groupId(clusterId), voters.stream().map(QuorumPeers::peer).toList());
    }

    static RaftPeer peer(QuorumVoter voter) {
        return RaftPeer.newBuilder().setId(peerId(voter.id())).setAddress(voter.address()).build();
    }

    static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf(String.valueOf(nodeId));
    }

    /** The node id of a peer, -1 for none. */
    static int nodeId(RaftPeerId peer) {
        if (peer == null) {
            return -1;
        }
        try {
            return Integer.parseInt(peer.toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
