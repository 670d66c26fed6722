package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;

/**
 * ApiVersions: lists {@link SupportedApis}. A request at a version newer than we know is
 * answered at version 0 with UNSUPPORTED_VERSION and the same list, so that the client retries
 * with the highest version we support. No features are finalized (no {@code metadata.version}
 * or {@code transaction.version}): clients then use their baseline behaviour.
 *
 * <p>Stateless; runs on event loops.
 */
public final class ApiVersionsHandler implements RequestHandler {

    private final SupportedApis supported;

    public ApiVersionsHandler(SupportedApis supported) {
        this.supported = supported;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        ApiVersionsRequest request = (ApiVersionsRequest) context.request();
        ApiVersionsResponseData data = new ApiVersionsResponseData().setThrottleTimeMs(0);
        for (Map.Entry<ApiKeys, SupportedApis.VersionRange> entry : supported.ranges().entrySet()) {
            data.apiKeys().add(new ApiVersionsResponseData.ApiVersion()
                    .setApiKey(entry.getKey().id)
                    .setMinVersion(entry.getValue().min())
                    .setMaxVersion(entry.getValue().max()));
        }
        short version = context.apiVersion();
        if (request.hasUnsupportedRequestVersion() || !supported.supports(ApiKeys.API_VERSIONS, version)) {
            data.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
            return CompletableFuture.completedFuture(Reply.respond(ApiKeys.API_VERSIONS, (short) 0, data));
        }
        data.setErrorCode(Errors.NONE.code());
        return CompletableFuture.completedFuture(Reply.respond(ApiKeys.API_VERSIONS, version, data));
    }
}
