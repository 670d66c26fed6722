package dev.stratus.storage.testing;

import dev.stratus.storage.objects.s3.S3Config;
import dev.stratus.storage.objects.s3.S3RetryPolicy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server for tests: s3proxy 4.1.0 in this JVM, listening on 127.0.0.1 and an
 * ephemeral port, over an in-memory blob store, checking AWS V2/V4 signatures against a fixed
 * key pair. Clients reach it exactly as a user configures Stratus for an S3-compatible store:
 * endpoint override, path-style access, static credentials ({@link #config}).
 *
 * <p>Use as a JUnit 5 extension ({@code @RegisterExtension static final S3ProxyFixture S3 = new S3ProxyFixture();}
 * starts it before the class's tests and stops it after), or by hand with {@link #start()} and
 * {@link #close()}. Each test takes its own bucket ({@link #createBucket()}), so tests never see
 * each other's objects. Started and stopped by the test thread; s3proxy serves on its own Jetty threads.
 */
public final class S3ProxyFixture implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    public static final String ACCESS_KEY = "stratus-test-access-key";
    public static final String SECRET_KEY = "stratus-test-secret-key";
    public static final String REGION = "us-east-1";

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private BlobStore blobStore;
    private S3Proxy proxy;
    private URI endpoint;

    /** Starts s3proxy; returns once it accepts connections. */
    public S3ProxyFixture start() throws Exception {
        if (proxy != null) {
            return this;
        }
        blobStore = new TransientNio2BlobStore();
        proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .stopTimeout(0)
                .build();
        proxy.start();
        long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadlineNs) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(5);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        return this;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Creates a bucket with a name no other test uses, and returns the name. */
    public String createBucket() {
        String name = "stratus-test-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        blobStore.createContainer(name);
        return name;
    }

    /** A name no bucket has. */
    public String missingBucket() {
        return "stratus-missing-" + BUCKETS.incrementAndGet();
    }

    /**
     * What a user would write for this store: endpoint override, path-style, static keys; with a
     * fast retry policy so fault tests finish quickly, and a request timeout (10 s) that a loaded
     * test machine does not reach.
     */
    public S3Config config(String bucket) {
        return config(bucket, endpoint);
    }

    /** The same, through another endpoint (such as a {@link FaultInjectingS3Proxy} in front of this one). */
    public S3Config config(String bucket, URI via) {
        return S3Config.of(bucket, REGION, via, true, ACCESS_KEY, SECRET_KEY)
                .withRetry(new S3RetryPolicy(6, 20, 200))
                .withRequestTimeoutMs(10_000);
    }

    /** The keys in a bucket, read from the blob store behind the S3 API (not through the code under test). */
    public List<String> keys(String bucket) {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Response page = blobStore.list(ListObjectsV2Request.builder().bucket(bucket).continuationToken(token).build());
            for (S3Object object : page.contents()) {
                keys.add(object.key());
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return keys;
    }

    @Override
    public void close() {
        if (proxy != null) {
            try {
                proxy.stop();
            } catch (Exception e) {
                throw new IllegalStateException("s3proxy did not stop", e);
            }
            proxy = null;
        }
        if (blobStore != null) {
            blobStore.close();
            blobStore = null;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }
}
