package dev.stratus.broker.network;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka listener: a Netty NIO server whose connections decode frames, parse requests, and
 * write responses in order. Knows nothing of Kafka APIs beyond framing and headers. A port may
 * be shared with one other protocol ({@link PortSharing}), told apart by a connection's first bytes.
 *
 * <p>Lifecycle: {@link #start()} binds; {@link #stopAccepting()}, {@link #awaitIdle},
 * {@link #closeConnections()} and {@link #shutdown()} take it down in steps so that the broker
 * can finish in-flight requests in between. Lifecycle methods are called by one thread (the
 * broker's caller); connections live on the event loops.
 */
public final class KafkaServer {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaServer.class);

    private final String host;
    private final int port;
    private final int maxFrameBytes;
    private final int maxInFlightPerConnection;
    private final int networkThreads;
    private final RequestHandler handler;
    private final String threadPrefix;
    private final PortSharing sharing;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private ChannelGroup connections;
    private Channel serverChannel;
    private int boundPort = -1;

    public KafkaServer(String host, int port, int maxFrameBytes, int maxInFlightPerConnection, int networkThreads,
                       RequestHandler handler) {
        this(host, port, maxFrameBytes, maxInFlightPerConnection, networkThreads, handler, "stratus", null);
    }

    /**
     * @param threadPrefix names the event loop threads ({@code <prefix>-acceptor}, {@code <prefix>-network})
     * @param sharing      another protocol served on the same port, or null for Kafka only
     */
    public KafkaServer(String host, int port, int maxFrameBytes, int maxInFlightPerConnection, int networkThreads,
                       RequestHandler handler, String threadPrefix, PortSharing sharing) {
        this.threadPrefix = threadPrefix;
        this.sharing = sharing;
        this.host = host;
        this.port = port;
        this.maxFrameBytes = maxFrameBytes;
        this.maxInFlightPerConnection = maxInFlightPerConnection;
        this.networkThreads = networkThreads;
        this.handler = handler;
    }

    /** Binds the listener and accepts connections; returns the bound port (the ephemeral one when asked for 0). */
    public int start() throws InterruptedException {
        int bound = bind();
        startAccepting();
        return bound;
    }

    /**
     * Binds the listener without accepting yet (connections wait in the socket's backlog), so
     * that the broker can tell the controller its port before it serves.
     */
    public int bind() throws InterruptedException {
        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadPrefix + "-acceptor"),
                NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(networkThreads, new DefaultThreadFactory(threadPrefix + "-network"),
                NioIoHandler.newFactory());
        connections = new DefaultChannelGroup("kafka-connections", GlobalEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        if (sharing != null) {
                            ch.pipeline().addLast("sniffer", new ProtocolSniffer(sharing, "frames", "requests"));
                        }
                        ch.pipeline()
                                .addLast("frames", new FrameDecoder(maxFrameBytes))
                                .addLast("requests", new RequestAdapter(handler, maxInFlightPerConnection, inFlight, () -> draining));
                    }
                });
        serverChannel = bootstrap.bind(host, port).sync().channel();
        boundPort = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        LOG.info("Kafka listener bound to {}:{}{}", host, boundPort, sharing == null ? "" : ", shared with the " + sharing);
        return boundPort;
    }

    /** Starts accepting the connections a {@link #bind()} left waiting. */
    public void startAccepting() {
        serverChannel.config().setAutoRead(true);
    }

    public int boundPort() {
        return boundPort;
    }

    /** Closes the listening socket; established connections keep being served. */
    public void stopAccepting() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            LOG.info("Kafka listener on port {} stopped accepting connections", boundPort);
        }
    }

    /** Waits until no request is in flight or the timeout passes; returns whether idle. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() - deadlineNs >= 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    public int inFlightRequests() {
        return inFlight.get();
    }

    /** Stops reading from every connection, so that no new request starts. */
    public void stopReading() {
        draining = true;
        if (connections != null) {
            connections.forEach(ch -> ch.eventLoop().execute(() -> ch.config().setAutoRead(false)));
        }
    }

    public void closeConnections() {
        if (connections != null) {
            connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Releases the event loops. */
    public void shutdown() {
        if (acceptor != null) {
            acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
