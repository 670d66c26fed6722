package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.metadata.QuorumDescriber;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.quorum.QuorumVoter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClusterRequest;

/**
 * DescribeCluster (KIP-919 endpoint types): the cluster id, the active controller's id as the
 * quorum names it, and the nodes of this endpoint's type. A broker lists the live (unfenced)
 * brokers; a controller, asked by {@code --bootstrap-controller} tools for endpoint type 2,
 * lists the quorum's voters at their CONTROLLER addresses. Asking an endpoint for the other
 * type is UNSUPPORTED_ENDPOINT_TYPE, as in Kafka. Metadata keeps naming the answering broker as
 * controller, as Kafka brokers do, since clients send controller requests there. Authorized
 * operations are not computed (no ACLs yet).
 *
 * <p>Stateless; completes on the controller client's threads (at once on a single node).
 */
public final class DescribeClusterHandler implements RequestHandler {

    private static final byte BROKER_ENDPOINTS = 1;
    private static final byte CONTROLLER_ENDPOINTS = 2;
    /** Kafka's "not requested" value for authorized operations. */
    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;

    private final byte endpointType;
    private final String clusterId;
    private final Supplier<List<LiveBrokers.Endpoint>> nodes;
    private final Supplier<CompletableFuture<Integer>> activeController;

    private DescribeClusterHandler(byte endpointType, String clusterId, Supplier<List<LiveBrokers.Endpoint>> nodes,
                                   Supplier<CompletableFuture<Integer>> activeController) {
        this.endpointType = endpointType;
        this.clusterId = clusterId;
        this.nodes = nodes;
        this.activeController = activeController;
    }

    /** A broker's answer: the live brokers, this one at the address it listens on now. */
    public static DescribeClusterHandler forBroker(int nodeId, String clusterId, String host, IntSupplier port, String rack,
                                                   Supplier<MetadataImage> image, QuorumDescriber quorum) {
        // The active controller as the quorum says; this node when the quorum cannot be asked now.
        return new DescribeClusterHandler(BROKER_ENDPOINTS, clusterId,
                () -> LiveBrokers.of(image.get(), nodeId, host, port.getAsInt(), rack),
                () -> quorum.describeQuorum().handle((status, error) -> error == null && status.leaderId() >= 0
                        ? status.leaderId() : nodeId));
    }

    /**
     * A controller's answer: the voters of the quorum, and the leader this member knows of (-1
     * during an election, and the tools retry).
     */
    public static DescribeClusterHandler forController(String clusterId, List<QuorumVoter> voters, IntSupplier leaderId) {
        List<LiveBrokers.Endpoint> controllers = voters.stream()
                .map(v -> new LiveBrokers.Endpoint(v.id(), v.host(), v.port(), null)).toList();
        return new DescribeClusterHandler(CONTROLLER_ENDPOINTS, clusterId, () -> controllers,
                () -> CompletableFuture.completedFuture(leaderId.getAsInt()));
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        DescribeClusterRequestData request = ((DescribeClusterRequest) context.request()).data();
        short version = context.apiVersion();
        return activeController.get().thenApply(controllerId -> respond(request, version, controllerId));
    }

    private Reply respond(DescribeClusterRequestData request, short version, int controllerId) {
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setThrottleTimeMs(0)
                .setClusterId(clusterId)
                .setControllerId(controllerId)
                .setClusterAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
        if (version >= 1) {
            response.setEndpointType(endpointType);
        }
        // Before v1 every request asks for brokers.
        byte asked = version >= 1 ? request.endpointType() : BROKER_ENDPOINTS;
        if (asked != endpointType) {
            response.setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                    .setErrorMessage("The request was sent to an endpoint of type " + typeName(endpointType)
                            + ", but we wanted an endpoint of type " + typeName(asked));
        } else {
            response.setErrorCode(Errors.NONE.code());
            for (LiveBrokers.Endpoint node : nodes.get()) {
                response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                        .setBrokerId(node.id())
                        .setHost(node.host())
                        .setPort(node.port())
                        .setRack(node.rack())
                        .setIsFenced(false));
            }
        }
        return Reply.respond(ApiKeys.DESCRIBE_CLUSTER, version, response);
    }

    private static String typeName(byte type) {
        return type == BROKER_ENDPOINTS ? "BROKER" : type == CONTROLLER_ENDPOINTS ? "CONTROLLER" : "UNKNOWN";
    }
}
