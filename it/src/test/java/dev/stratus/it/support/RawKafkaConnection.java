package dev.stratus.it.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A blocking Kafka protocol connection for tests that need to send what a well-behaved client
 * never would: hand-made requests, broken frames, raw bytes.
 */
public final class RawKafkaConnection implements AutoCloseable {

    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;
    private int correlationId;

    public RawKafkaConnection(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        out = new DataOutputStream(socket.getOutputStream());
        in = new DataInputStream(socket.getInputStream());
    }

    /** Sends a request at {@code version} and returns the parsed response. */
    public AbstractResponse send(AbstractRequest request, short version) throws IOException {
        ApiKeys api = request.apiKey();
        RequestHeader header = new RequestHeader(api, version, "raw-test", ++correlationId);
        ByteBuffer frame = request.serializeWithHeader(header);
        writeFrame(frame);
        ByteBuffer response = readFrame();
        ResponseHeader responseHeader = ResponseHeader.parse(response, api.responseHeaderVersion(version));
        if (responseHeader.correlationId() != correlationId) {
            throw new IOException("correlation id " + responseHeader.correlationId() + " != " + correlationId);
        }
        return AbstractResponse.parseResponse(api, new ByteBufferAccessor(response), version);
    }

    public void writeFrame(ByteBuffer payload) throws IOException {
        out.writeInt(payload.remaining());
        writeRaw(payload);
    }

    public void writeRaw(ByteBuffer bytes) throws IOException {
        byte[] array = new byte[bytes.remaining()];
        bytes.duplicate().get(array);
        out.write(array);
        out.flush();
    }

    public ByteBuffer readFrame() throws IOException {
        int size = in.readInt();
        byte[] payload = new byte[size];
        in.readFully(payload);
        return ByteBuffer.wrap(payload);
    }

    /** True when the server closed the connection (reads hit end of stream or a reset). */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (EOFException | SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
