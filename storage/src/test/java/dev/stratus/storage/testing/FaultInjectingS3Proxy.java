package dev.stratus.storage.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of an S3 server that can be told to misbehave for a while:
 * answer {@code 503 SlowDown} or {@code 500 InternalError}, or stall (accept a request and never
 * answer, so the client's timeout fires). Healthy, it forwards bytes untouched in both
 * directions, so signatures (which cover the Host header) stay valid.
 *
 * <p>Faults are decided per connection, at its first request: {@link #inject} closes every
 * open connection so that clients reconnect and meet the fault at once; a faulty connection
 * answers one request and closes ({@code Connection: close}). {@link #heal()} ends the fault.
 *
 * <p>Threading: one acceptor thread and two threads per forwarded connection (one per
 * direction), all daemon threads of this proxy's pool; {@link #close()} stops them all.
 */
public final class FaultInjectingS3Proxy implements AutoCloseable {

    /** How the proxy answers new requests. */
    public enum Fault { NONE, SLOW_DOWN_503, INTERNAL_ERROR_500, STALL }

    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final ExecutorService threads;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger faultedRequests = new AtomicInteger();
    private final AtomicInteger forwardedConnections = new AtomicInteger();
    private volatile Fault fault = Fault.NONE;
    private volatile boolean closed;

    private FaultInjectingS3Proxy(ServerSocket server, InetSocketAddress upstream) {
        this.server = server;
        this.upstream = upstream;
        AtomicInteger ids = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fault-proxy-" + ids.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts a proxy in front of {@code upstream} (an {@code http://127.0.0.1:port} endpoint). */
    public static FaultInjectingS3Proxy start(URI upstream) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FaultInjectingS3Proxy proxy = new FaultInjectingS3Proxy(server,
                new InetSocketAddress(upstream.getHost(), upstream.getPort()));
        proxy.threads.execute(proxy::acceptLoop);
        return proxy;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** From now on every request meets {@code newFault}; open connections are cut. */
    public void inject(Fault newFault) {
        fault = newFault;
        closeAll();
    }

    /** Requests are forwarded again; stalled connections are cut. */
    public void heal() {
        fault = Fault.NONE;
        closeAll();
    }

    /** Requests answered with a fault (or stalled) so far. */
    public int faultedRequests() {
        return faultedRequests.get();
    }

    /** Connections forwarded to the upstream server so far. */
    public int forwardedConnections() {
        return forwardedConnections.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    sleepQuietly(10);
                }
            }
        }
    }

    private void serve(Socket client) {
        try {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            Fault now = fault;
            if (now == Fault.NONE) {
                forward(client, head, in);
            } else {
                faultedRequests.incrementAndGet();
                answerWithFault(client, now, new String(head, StandardCharsets.ISO_8859_1), in);
            }
        } catch (IOException e) {
            // The client or the proxy closed the connection: nothing to do.
        } finally {
            closeQuietly(client);
        }
    }

    private void forward(Socket client, byte[] head, InputStream clientIn) throws IOException {
        Socket server = new Socket();
        sockets.add(server);
        try {
            server.connect(upstream, 5_000);
            forwardedConnections.incrementAndGet();
            OutputStream serverOut = server.getOutputStream();
            serverOut.write(head);
            serverOut.flush();
            threads.execute(() -> {
                try {
                    clientIn.transferTo(serverOut);
                } catch (IOException e) {
                    // Either side closed.
                } finally {
                    closeQuietly(server);
                    closeQuietly(client);
                }
            });
            server.getInputStream().transferTo(client.getOutputStream());
        } finally {
            closeQuietly(server);
        }
    }

    private void answerWithFault(Socket client, Fault now, String head, InputStream in) throws IOException {
        if (now == Fault.STALL) {
            while (fault == Fault.STALL && !closed && !client.isClosed()) {
                sleepQuietly(10);
            }
            return;
        }
        boolean isHead = head.startsWith("HEAD ");
        String lower = head.toLowerCase(Locale.ROOT);
        long contentLength = headerValue(lower, "content-length");
        if (contentLength > 0 && !lower.contains("expect: 100-continue")) {
            // Read the body the client is sending, so that it reads our answer instead of a reset.
            in.skipNBytes(contentLength);
        }
        int status = now == Fault.SLOW_DOWN_503 ? 503 : 500;
        String code = now == Fault.SLOW_DOWN_503 ? "SlowDown" : "InternalError";
        String reason = now == Fault.SLOW_DOWN_503 ? "Slow Down" : "Internal Server Error";
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>injected by "
                + "FaultInjectingS3Proxy</Message><RequestId>fault-" + faultedRequests.get() + "</RequestId></Error>")
                .getBytes(StandardCharsets.UTF_8);
        String headers = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/xml\r\nContent-Length: "
                + (isHead ? 0 : body.length) + "\r\nConnection: close\r\n\r\n";
        OutputStream out = client.getOutputStream();
        out.write(headers.getBytes(StandardCharsets.ISO_8859_1));
        if (!isHead) {
            out.write(body);
        }
        out.flush();
    }

    /** The request line and headers, up to and including the blank line; null at end of stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(1024);
        int matched = 0;
        while (head.size() < MAX_HEAD_BYTES) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
            if (matched == 4) {
                return head.toByteArray();
            }
        }
        throw new IOException("request head too large");
    }

    private static long headerValue(String lowerHead, String name) {
        for (String line : lowerHead.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                try {
                    return Long.parseLong(line.substring(name.length() + 1).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private void closeAll() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }

    private void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        sockets.remove(socket);
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        closeAll();
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
