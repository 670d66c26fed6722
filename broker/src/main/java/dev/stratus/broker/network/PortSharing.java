package dev.stratus.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;

/**
 * Another protocol served on a Kafka listener's port, told apart by the first bytes a client
 * sends: a connection it claims leaves the Kafka pipeline for the protocol's own handler.
 * Implementations are stateless and shared by every connection of the listener.
 */
public interface PortSharing {

    /** How many first bytes {@link #claims} looks at; no valid Kafka request is shorter. */
    int prefixBytes();

    /** Whether a connection whose first bytes are these (at least {@link #prefixBytes()} readable) is this protocol's. */
    boolean claims(ByteBuf firstBytes);

    /** The handler that serves a claimed connection from here on (a new one per connection). */
    ChannelHandler takeOver();
}
