package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
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
 * DescribeCluster: the cluster id, the live (unfenced) brokers, and this node as the controller
 * id, as a Kafka broker answers (clients cannot reach the controller quorum through a broker
 * anyway). Asking a broker for controller endpoints (v1+, endpoint type 2) is
 * UNSUPPORTED_ENDPOINT_TYPE, as in Kafka. Authorized operations are not computed (no ACLs yet).
 *
 * <p>Stateless; runs on event loops.
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

    public DescribeClusterHandler(int nodeId, String clusterId, String host, IntSupplier port, String rack,
                                  Supplier<MetadataImage> image) {
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
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setThrottleTimeMs(0)
                .setClusterId(clusterId)
                .setControllerId(nodeId)
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
        return CompletableFuture.completedFuture(Reply.respond(ApiKeys.DESCRIBE_CLUSTER, version, response));
    }
}
