package dev.stratus.broker.network;

import io.netty.util.concurrent.EventExecutor;
import java.net.SocketAddress;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One parsed request and where it came from. {@code executor} is the connection's event loop:
 * handlers may use it as a serial executor for per-request state (never block on it).
 */
public record RequestContext(RequestHeader header, AbstractRequest request, EventExecutor executor,
                             SocketAddress remoteAddress) {

    public short apiVersion() {
        return header.apiVersion();
    }
}
