package dev.stratus.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Claims the connections on a shared port that open with the HTTP/2 client preface (gRPC in
 * plain text, as Ratis peers and clients speak it) and relays them to the gRPC server behind
 * the port. A Kafka request never starts so: its first four bytes would be a frame size over a
 * gigabyte and the next two an API key that does not exist. Stateless.
 */
public final class GrpcRelay implements PortSharing {

    /** The first eight bytes of "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n". */
    private static final byte[] PREFACE = "PRI * HT".getBytes(StandardCharsets.US_ASCII);

    private final Supplier<InetSocketAddress> target;

    /** @param target the gRPC server's address, null while it is not up */
    public GrpcRelay(Supplier<InetSocketAddress> target) {
        this.target = target;
    }

    @Override
    public int prefixBytes() {
        return PREFACE.length;
    }

    @Override
    public boolean claims(ByteBuf firstBytes) {
        int start = firstBytes.readerIndex();
        for (int i = 0; i < PREFACE.length; i++) {
            if (firstBytes.getByte(start + i) != PREFACE[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public ChannelHandler takeOver() {
        return new ConnectionRelay(target);
    }

    @Override
    public String toString() {
        return "gRPC relay";
    }
}
