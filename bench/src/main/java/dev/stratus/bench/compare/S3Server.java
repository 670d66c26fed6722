package dev.stratus.bench.compare;

import dev.stratus.storage.testing.S3ProxyFixture;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * The S3 server Stratus writes to in the comparison: s3proxy in the harness JVM on 127.0.0.1,
 * checking AWS signatures against the storage test fixture's key pair, over a directory on local
 * disk. Not the fixture's in-memory store: that one holds at most 4 GiB, and one Stratus run writes
 * more (it failed PUTs with "out of disk space" half-way through the object WAL's run).
 *
 * <p>Started and stopped by the harness's main thread; s3proxy serves on its own Jetty threads.
 */
final class S3Server implements AutoCloseable {

    static final String BUCKET = "stratus";

    private final S3Proxy proxy;
    private final URI endpoint;

    private S3Server(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    /** Starts s3proxy over {@code dir} with one empty bucket, {@link #BUCKET}; returns once it accepts connections. */
    static S3Server start(Path dir) throws Exception {
        Files.createDirectories(dir);
        BlobStore store = new FilesystemNio2BlobStore(dir.toString());
        store.createContainer(BUCKET);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3ProxyFixture.ACCESS_KEY, S3ProxyFixture.SECRET_KEY)
                .stopTimeout(0)
                .build();
        proxy.start();
        long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadlineNs) {
                proxy.stop();
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(5);
        }
        return new S3Server(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not stop", e);
        }
    }
}
