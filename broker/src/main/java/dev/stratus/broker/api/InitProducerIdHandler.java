package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.ProducerIdAllocator;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.InitProducerIdRequest;

/**
 * InitProducerId for idempotent (non-transactional) producers: every call gets a fresh producer
 * id at epoch 0, which is what Kafka does for a null transactional id.
 *
 * <p>Transactions are not implemented: a request with a transactional id gets
 * UNSUPPORTED_VERSION, the code Kafka uses for a feature the broker does not offer (the Java
 * client already fails earlier, because FindCoordinator is not advertised). We do not pretend an
 * authorization failure or a retriable coordinator error.
 *
 * <p>Ids come in blocks from the controller ({@link dev.stratus.broker.partition.ProducerIdBlocks}).
 *
 * <p>Stateless apart from the thread-safe allocator; runs on event loops.
 */
public final class InitProducerIdHandler implements RequestHandler {

    private final ProducerIdAllocator allocator;

    public InitProducerIdHandler(ProducerIdAllocator allocator) {
        this.allocator = allocator;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        InitProducerIdRequestData request = ((InitProducerIdRequest) context.request()).data();
        InitProducerIdResponseData response = new InitProducerIdResponseData().setThrottleTimeMs(0);
        if (request.transactionalId() != null) {
            response.setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                    .setProducerId(RecordBatch.NO_PRODUCER_ID)
                    .setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
            return CompletableFuture.completedFuture(Reply.respond(ApiKeys.INIT_PRODUCER_ID, context.apiVersion(), response));
        }
        return allocator.nextProducerId().handle((producerId, error) -> {
            if (error == null) {
                response.setErrorCode(Errors.NONE.code()).setProducerId(producerId).setProducerEpoch((short) 0);
            } else {
                // The controller could not persist a new block: the client retries InitProducerId.
                response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                        .setProducerId(RecordBatch.NO_PRODUCER_ID)
                        .setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
            }
            return Reply.respond(ApiKeys.INIT_PRODUCER_ID, context.apiVersion(), response);
        });
    }
}
