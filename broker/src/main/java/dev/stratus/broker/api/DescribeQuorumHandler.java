package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.metadata.QuorumDescriber;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.quorum.QuorumStatus;
import dev.stratus.metadata.quorum.QuorumVoter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeQuorumRequest;

/**
 * DescribeQuorum (API 55), as {@code kafka-metadata-quorum describe --status / --replication}
 * asks a broker: the controller quorum's leader, epoch and high watermark, every voter's log end
 * and when the leader last heard from it, and the brokers as observers (at the metadata offset
 * and time of their last heartbeat to the active controller), for the metadata
 * partition {@code __cluster_metadata-0}; from v2 the voters' CONTROLLER and the brokers'
 * PLAINTEXT endpoints. Any other partition is UNKNOWN_TOPIC_OR_PARTITION. Served by brokers and
 * by controllers ({@code --bootstrap-controller}); a controller that does not lead answers
 * NOT_LEADER_OR_FOLLOWER, as the tools send it to the leader DescribeCluster names.
 *
 * <p>Stateless; completes on the controller client's threads.
 */
public final class DescribeQuorumHandler implements RequestHandler {

    static final String METADATA_TOPIC = "__cluster_metadata";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final QuorumDescriber quorum;
    private final Supplier<MetadataImage> image;
    private final List<QuorumVoter> voters;

    /** @param voters the quorum's voters, listed with their CONTROLLER endpoints (none on a single node) */
    public DescribeQuorumHandler(QuorumDescriber quorum, Supplier<MetadataImage> image, List<QuorumVoter> voters) {
        this.quorum = quorum;
        this.image = image;
        this.voters = List.copyOf(voters);
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        DescribeQuorumRequestData request = ((DescribeQuorumRequest) context.request()).data();
        short version = context.apiVersion();
        return quorum.describeQuorum().handle((status, error) -> {
            DescribeQuorumResponseData response = new DescribeQuorumResponseData().setErrorCode(Errors.NONE.code());
            for (DescribeQuorumRequestData.TopicData topic : request.topics()) {
                DescribeQuorumResponseData.TopicData topicResponse = new DescribeQuorumResponseData.TopicData()
                        .setTopicName(topic.topicName());
                for (DescribeQuorumRequestData.PartitionData partition : topic.partitions()) {
                    topicResponse.partitions().add(describe(topic.topicName(), partition.partitionIndex(), status, error));
                }
                response.topics().add(topicResponse);
            }
            if (version >= 2 && error == null) {
                for (QuorumVoter voter : voters) {
                    response.nodes().add(node(voter.id(), CONTROLLER_LISTENER, voter.host(), voter.port()));
                }
                for (LiveBrokers.Endpoint broker : LiveBrokers.of(image.get(), -1, "", 0, null)) {
                    if (broker.id() >= 0 && response.nodes().find(broker.id()) == null) {
                        response.nodes().add(node(broker.id(), "PLAINTEXT", broker.host(), broker.port()));
                    }
                }
            }
            return Reply.respond(ApiKeys.DESCRIBE_QUORUM, version, response);
        });
    }

    private static DescribeQuorumResponseData.Node node(int id, String listener, String host, int port) {
        return new DescribeQuorumResponseData.Node().setNodeId(id)
                .setListeners(new DescribeQuorumResponseData.ListenerCollection(List.of(
                        new DescribeQuorumResponseData.Listener().setName(listener).setHost(host).setPort(port)).iterator()));
    }

    private DescribeQuorumResponseData.PartitionData describe(String topic, int partition, QuorumStatus status, Throwable error) {
        DescribeQuorumResponseData.PartitionData data = new DescribeQuorumResponseData.PartitionData()
                .setPartitionIndex(partition);
        if (!METADATA_TOPIC.equals(topic) || partition != 0) {
            return data.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        if (error != null) {
            return data.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()).setErrorMessage(String.valueOf(error.getMessage()));
        }
        data.setErrorCode(Errors.NONE.code()).setLeaderId(status.leaderId()).setLeaderEpoch((int) status.leaderEpoch())
                .setHighWatermark(status.highWatermark());
        for (QuorumStatus.Replica voter : status.voters()) {
            data.currentVoters().add(replica(voter.id(), voter.logEndOffset(), voter.lastFetchTimestampMs(),
                    voter.lastCaughtUpTimestampMs()));
        }
        for (QuorumStatus.Replica observer : status.observers()) {
            if (status.voters().stream().noneMatch(v -> v.id() == observer.id())) {
                data.observers().add(replica(observer.id(), observer.logEndOffset(), observer.lastFetchTimestampMs(),
                        observer.lastCaughtUpTimestampMs()));
            }
        }
        return data;
    }

    private static DescribeQuorumResponseData.ReplicaState replica(int id, long logEnd, long lastFetchMs, long caughtUpMs) {
        return new DescribeQuorumResponseData.ReplicaState().setReplicaId(id).setReplicaDirectoryId(Uuid.ZERO_UUID)
                .setLogEndOffset(logEnd).setLastFetchTimestamp(lastFetchMs).setLastCaughtUpTimestamp(caughtUpMs);
    }
}
