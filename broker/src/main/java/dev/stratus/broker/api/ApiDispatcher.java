package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * Routes each request to the handler of its API. A request for an API (or version) we do not
 * implement gets the API's own error response with UNSUPPORTED_VERSION, built by kafka-clients
 * from the parsed request, and the connection stays usable.
 *
 * <p>Thread: called on event loops; stateless after construction.
 */
public final class ApiDispatcher implements RequestHandler {

    private final SupportedApis supported;
    private final Map<ApiKeys, RequestHandler> handlers;

    public ApiDispatcher(SupportedApis supported, Map<ApiKeys, RequestHandler> handlers) {
        this.supported = supported;
        this.handlers = Collections.unmodifiableMap(new EnumMap<>(handlers));
        for (ApiKeys key : supported.ranges().keySet()) {
            if (!handlers.containsKey(key)) {
                throw new IllegalArgumentException("advertised API without a handler: " + key);
            }
        }
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        ApiKeys key = context.header().apiKey();
        RequestHandler handler = handlers.get(key);
        boolean apiVersionsFallback = key == ApiKeys.API_VERSIONS;
        if (handler == null || !apiVersionsFallback && !supported.supports(key, context.apiVersion())) {
            return CompletableFuture.completedFuture(unsupported(context));
        }
        return handler.handle(context);
    }

    private static Reply unsupported(RequestContext context) {
        ApiKeys key = context.header().apiKey();
        short version = context.apiVersion();
        try {
            AbstractResponse response = context.request().getErrorResponse(0,
                    new UnsupportedVersionException(key + " v" + version + " is not supported by this broker"));
            return Reply.respond(key, version, response.data());
        } catch (RuntimeException e) {
            return Reply.close("cannot build an error response for unsupported " + key + " v" + version + ": " + e);
        }
    }
}
