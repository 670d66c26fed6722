package dev.stratus.broker.controller;

import dev.stratus.broker.api.ApiDispatcher;
import dev.stratus.broker.api.ApiVersionsHandler;
import dev.stratus.broker.api.DescribeClusterHandler;
import dev.stratus.broker.api.DescribeQuorumHandler;
import dev.stratus.broker.api.SupportedApis;
import dev.stratus.broker.network.GrpcRelay;
import dev.stratus.broker.network.KafkaServer;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.metadata.MetadataErrorCode;
import dev.stratus.metadata.MetadataException;
import dev.stratus.metadata.QuorumDescriber;
import dev.stratus.metadata.cluster.QuorumMember;
import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.quorum.QuorumStatus;
import dev.stratus.metadata.quorum.QuorumVoter;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * A controller's CONTROLLER listener, on its voter address: Kafka's {@code --bootstrap-controller}
 * tools ({@code kafka-metadata-quorum}, {@code kafka-cluster cluster-id}) speak the Kafka
 * protocol to it (ApiVersions, DescribeCluster listing the voters, DescribeQuorum answered by
 * the leader), and the quorum's peers and clients speak Ratis gRPC on the same port, which it
 * relays to the member's Raft server on its private loopback port, so that one address per
 * controller serves both, as in Kafka.
 *
 * <p>Lifecycle: started after the member, stopped after it, by the server's lifecycle thread;
 * connections live on its own event loops.
 */
public final class ControllerListener {

    private static final int MAX_FRAME_BYTES = 1 << 20;
    private static final int MAX_IN_FLIGHT = 16;

    private final KafkaServer server;

    private ControllerListener(KafkaServer server) {
        this.server = server;
    }

    /**
     * Binds {@code host:port} and serves at once.
     *
     * @param voters the quorum's voters, listed to tools that ask for controllers
     */
    public static ControllerListener start(String host, int port, String clusterId, List<QuorumVoter> voters,
                                           QuorumMember member, MetadataLoader image, Clock clock) throws InterruptedException {
        QuorumDescriber quorum = () -> describe(member, clock);
        SupportedApis supported = SupportedApis.controller();
        Map<ApiKeys, RequestHandler> handlers = new EnumMap<>(ApiKeys.class);
        handlers.put(ApiKeys.API_VERSIONS, new ApiVersionsHandler(supported));
        handlers.put(ApiKeys.DESCRIBE_CLUSTER, DescribeClusterHandler.forController(clusterId, voters,
                () -> member.log().leader().leaderId()));
        handlers.put(ApiKeys.DESCRIBE_QUORUM, new DescribeQuorumHandler(quorum, image::image, voters));
        KafkaServer server = new KafkaServer(host, port, MAX_FRAME_BYTES, MAX_IN_FLIGHT, 1, new ApiDispatcher(supported, handlers),
                "stratus-controller", new GrpcRelay(() -> member.log().raftAddress()));
        server.start();
        return new ControllerListener(server);
    }

    /** The quorum as the leader sees it, when this member leads; a member that does not lead names the leader. */
    private static CompletableFuture<QuorumStatus> describe(QuorumMember member, Clock clock) {
        QuorumStatus own = member.status(clock.millis());
        if (own.leaderId() == member.log().nodeId()) {
            return CompletableFuture.completedFuture(own);
        }
        return CompletableFuture.failedFuture(new MetadataException(MetadataErrorCode.NOT_CONTROLLER,
                "controller " + member.log().nodeId() + " does not lead the quorum; the leader is " + own.leaderId()));
    }

    public int boundPort() {
        return server.boundPort();
    }

    public void close() {
        server.stopAccepting();
        server.closeConnections();
        server.shutdown();
    }
}
