package dev.stratus.broker.network;

import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One place for the one-line logs the network layer writes when it drops a connection. */
final class NetworkLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.stratus.broker.network");

    private NetworkLog() {
    }

    static void closing(Channel channel, String reason) {
        LOG.info("Closing connection from {}: {}", channel.remoteAddress(), reason);
    }
}
