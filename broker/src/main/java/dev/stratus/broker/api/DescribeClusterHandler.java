package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.metadata.QuorumDescriber;
import dev.stratus.metadata.image.MetadataImage;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClusterRequest;

/**
 * DescribeCluster: the cluster id, the live (unfenced) brokers, and the active controller's id
 * as the quorum names it (a single node names itself). Metadata keeps naming the answering
 * broker as controller, as Kafka brokers do, since clients send controller requests there. Asking a broker for controller endpoints (v1+, endpoint type 2) is
 * UNSUPPORTED_ENDPOINT_TYPE, as in Kafka. Authorized operations are not computed (no ACLs yet).
 *
 * <p>Stateless; completes on the controller client's threads (at once on a single node).
 */
public final class DescribeClusterHandler implements RequestHandler {

    private static final byte BROKER_ENDPOINTS = 1;
    /** Kafka's "not requested" value for authorized operations. */
    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;

    private final int nodeId;
    private final String clusterId;
    private final String host;
    private final IntSupplier port;
    private final String rack;
    private final Supplier<MetadataImage> image;
    private final QuorumDescriber quorum;

    public DescribeClusterHandler(int nodeId, String clusterId, String host, IntSupplier port, String rack,
                                  Supplier<MetadataImage> image, QuorumDescriber quorum) {
        this.quorum = quorum;
        this.rack = rack;
        this.image = image;
        this.nodeId = nodeId;
        this.clusterId = clusterId;
        this.host = host;
        this.port = port;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        DescribeClusterRequestData request = ((DescribeClusterRequest) context.request()).data();
        short version = context.apiVersion();
        // The active controller, as the quorum says; this node when the quorum cannot be asked now.
        return quorum.describeQuorum().handle((status, error) -> error == null && status.leaderId() >= 0
                ? status.leaderId() : nodeId).thenApply(controllerId -> respond(request, version, controllerId));
    }

    private Reply respond(DescribeClusterRequestData request, short version, int controllerId) {
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setThrottleTimeMs(0)
                .setClusterId(clusterId)
                .setControllerId(controllerId)
                .setClusterAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
        if (version >= 1) {
            response.setEndpointType(BROKER_ENDPOINTS);
        }
        if (version >= 1 && request.endpointType() != BROKER_ENDPOINTS) {
            response.setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                    .setErrorMessage("The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type "
                            + (request.endpointType() == 2 ? "CONTROLLER" : "UNKNOWN"));
        } else {
            response.setErrorCode(Errors.NONE.code());
            for (LiveBrokers.Endpoint broker : LiveBrokers.of(image.get(), nodeId, host, port.getAsInt(), rack)) {
                response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                        .setBrokerId(broker.id())
                        .setHost(broker.host())
                        .setPort(broker.port())
                        .setRack(broker.rack())
                        .setIsFenced(false));
            }
        }
        return Reply.respond(ApiKeys.DESCRIBE_CLUSTER, version, response);
    }
}
