package dev.stratus.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Kafka listener that shares its port with gRPC: connections that open with the HTTP/2
 * preface are relayed byte for byte to the server behind the port (here an echo server), all
 * others are Kafka's.
 */
class SharedPortTest {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private ServerSocket echo;
    private Thread echoThread;
    private final AtomicReference<InetSocketAddress> target = new AtomicReference<>();
    private KafkaServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoThread = new Thread(this::echoConnections, "echo");
        echoThread.setDaemon(true);
        echoThread.start();
        target.set(new InetSocketAddress("127.0.0.1", echo.getLocalPort()));
        RequestHandler kafka = context -> CompletableFuture.completedFuture(Reply.respond(ApiKeys.API_VERSIONS,
                context.apiVersion(), new ApiVersionsResponseData().setErrorCode((short) 0)));
        server = new KafkaServer("127.0.0.1", 0, 1 << 20, 16, 1, kafka, "shared-port-test", new GrpcRelay(target::get));
        port = server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.stopAccepting();
        server.closeConnections();
        server.shutdown();
        echo.close();
    }

    private void echoConnections() {
        while (!echo.isClosed()) {
            try {
                Socket socket = echo.accept();
                Thread copier = new Thread(() -> {
                    try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException ignored) {
                        // the test closed its side
                    }
                }, "echo-connection");
                copier.setDaemon(true);
                copier.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Test
    void aConnectionOpeningWithTheHttp2PrefaceIsRelayedByteForByte() throws Exception {
        byte[] payload = new byte[4 << 20];
        new Random(7).nextBytes(payload);
        System.arraycopy(PREFACE, 0, payload, 0, PREFACE.length);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            // Written while reading: 4 MiB does not fit in the socket buffers, so both directions must flow.
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int offset = 0; offset < payload.length; offset += 64 << 10) {
                        out.write(payload, offset, Math.min(64 << 10, payload.length - offset));
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] back = new DataInputStream(socket.getInputStream()).readNBytes(payload.length);
            written.get(20, TimeUnit.SECONDS);

            assertThat(back.length).isEqualTo(payload.length);
            assertThat(Arrays.equals(back, payload)).isTrue();
        }
    }

    @Test
    void aKafkaRequestOnTheSharedPortIsAnsweredByTheKafkaHandlers() throws Exception {
        ByteBuffer request = new ApiVersionsRequest.Builder().build((short) 3)
                .serializeWithHeader(new RequestHeader(ApiKeys.API_VERSIONS, (short) 3, "shared-port-test", 42));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(request.remaining());
            out.write(request.array(), request.arrayOffset() + request.position(), request.remaining());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            int correlationId = in.readInt();

            assertThat(size).isPositive();
            assertThat(correlationId).isEqualTo(42);
        }
    }

    @Test
    void aRelayedConnectionIsClosedWhenTheServerBehindThePortIsNotUp() throws Exception {
        target.set(null);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(PREFACE);
            socket.getOutputStream().flush();

            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void closingTheClientsSideClosesTheConnectionToTheServerBehind() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(PREFACE);
            assertThat(new DataInputStream(socket.getInputStream()).readNBytes(PREFACE.length)).isEqualTo(PREFACE);
        }
        // The echo server's copier ends when the relay closes its side: every echo thread but the acceptor is gone.
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet()
                .stream().noneMatch(t -> t.getName().equals("echo-connection") && t.isAlive()));
    }
}
