package dev.stratus.broker.api;

import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.BrokerRegistration;
import dev.stratus.metadata.image.MetadataImage;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * KIP-951: a Produce or Fetch answered NOT_LEADER_OR_FOLLOWER names the partition's current
 * leader and epoch, and the leader's endpoint, so the client retries there without waiting for a
 * metadata refresh. Only a live leader other than this broker is named. Stateless.
 */
public final class LeaderHints {

    /** Produce v10 added the current leader and node endpoints. */
    static final short PRODUCE_HINTS_VERSION = 10;
    /** Fetch v12 added the current leader, v16 the node endpoints. */
    public static final short FETCH_LEADER_VERSION = 12;
    public static final short FETCH_ENDPOINTS_VERSION = 16;

    private LeaderHints() {
    }

    static void addTo(ProduceResponseData response, MetadataImage image, int selfId, short version, boolean byId) {
        if (version < PRODUCE_HINTS_VERSION) {
            return;
        }
        Set<Integer> named = new HashSet<>();
        for (ProduceResponseData.TopicProduceResponse topic : response.responses()) {
            TopicMetadata known = byId ? image.topic(TopicIds.fromKafka(topic.topicId())) : image.topic(topic.name());
            for (ProduceResponseData.PartitionProduceResponse partition : topic.partitionResponses()) {
                BrokerRegistration leader = leaderOf(image, known, partition.index(), partition.errorCode(), selfId);
                if (leader != null) {
                    PartitionMetadata p = known.partition(partition.index());
                    partition.setCurrentLeader(new ProduceResponseData.LeaderIdAndEpoch().setLeaderId(p.leaderId())
                            .setLeaderEpoch(p.leaderEpoch()));
                    if (named.add(leader.brokerId())) {
                        response.nodeEndpoints().add(new ProduceResponseData.NodeEndpoint().setNodeId(leader.brokerId())
                                .setHost(leader.host()).setPort(leader.port()).setRack(leader.rack()));
                    }
                }
            }
        }
    }

    public static void addTo(FetchResponseData response, MetadataImage image, int selfId, short version) {
        if (version < FETCH_LEADER_VERSION) {
            return;
        }
        Set<Integer> named = new HashSet<>();
        for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
            boolean byId = topic.topicId() != null && !Uuid.ZERO_UUID.equals(topic.topicId());
            TopicMetadata known = byId ? image.topic(TopicIds.fromKafka(topic.topicId())) : image.topic(topic.topic());
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                BrokerRegistration leader = leaderOf(image, known, partition.partitionIndex(), partition.errorCode(), selfId);
                if (leader != null) {
                    PartitionMetadata p = known.partition(partition.partitionIndex());
                    partition.setCurrentLeader(new FetchResponseData.LeaderIdAndEpoch().setLeaderId(p.leaderId())
                            .setLeaderEpoch(p.leaderEpoch()));
                    if (version >= FETCH_ENDPOINTS_VERSION && named.add(leader.brokerId())) {
                        response.nodeEndpoints().add(new FetchResponseData.NodeEndpoint().setNodeId(leader.brokerId())
                                .setHost(leader.host()).setPort(leader.port()).setRack(leader.rack()));
                    }
                }
            }
        }
    }

    /** The live broker other than this one that leads the partition, when the answer was NOT_LEADER_OR_FOLLOWER. */
    private static BrokerRegistration leaderOf(MetadataImage image, TopicMetadata topic, int partition, short errorCode,
                                               int selfId) {
        if (errorCode != Errors.NOT_LEADER_OR_FOLLOWER.code() || topic == null || topic.partition(partition) == null) {
            return null;
        }
        int leaderId = topic.partition(partition).leaderId();
        BrokerRegistration leader = image.brokers().broker(leaderId);
        return leaderId == selfId || leader == null || leader.fenced() || leader.port() <= 0 ? null : leader;
    }
}
