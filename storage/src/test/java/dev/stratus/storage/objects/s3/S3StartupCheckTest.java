package dev.stratus.storage.objects.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.storage.objects.ObjectStorageException;
import dev.stratus.storage.objects.s3.S3StartupCheckException.Problem;
import dev.stratus.storage.testing.S3ProxyFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The startup check against a real S3 server: each misconfiguration is named, with how to fix it. */
class S3StartupCheckTest {

    @RegisterExtension
    static final S3ProxyFixture S3 = new S3ProxyFixture();

    private static S3StartupCheckException verifyFails(S3Config config) {
        try (S3ObjectStorage storage = S3ObjectStorage.open(config)) {
            try {
                storage.verify().join();
            } catch (CompletionException e) {
                Throwable cause = ObjectStorageException.unwrap(e);
                assertThat(cause).isInstanceOf(S3StartupCheckException.class);
                return (S3StartupCheckException) cause;
            }
            throw new AssertionError("the startup check passed");
        }
    }

    @Test
    void aUsableBucketPassesAndLeavesNothingBehind() {
        String bucket = S3.createBucket();
        try (S3ObjectStorage storage = S3ObjectStorage.open(S3.config(bucket))) {
            storage.verify().join();
        }
        assertThat(S3.keys(bucket)).isEmpty();
    }

    @Test
    void withoutStaticKeysTheDefaultChainSuppliesTheCredentials() {
        // The chain's first source after the environment: the aws.accessKeyId / aws.secretAccessKey system properties.
        System.setProperty("aws.accessKeyId", S3ProxyFixture.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyFixture.SECRET_KEY);
        try (S3ObjectStorage storage = S3ObjectStorage.open(S3.config(S3.createBucket()).withCredentials(null, null))) {
            assertThat(storage.config().staticCredentials()).isFalse();
            storage.verify().join();
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    void aMissingBucketIsNamedWithHowToCreateIt() {
        String missing = S3.missingBucket();
        S3StartupCheckException error = verifyFails(S3.config(missing));
        assertThat(error.problem()).isEqualTo(Problem.BUCKET_MISSING);
        assertThat(error).hasMessageContaining("bucket '" + missing + "' does not exist")
                .hasMessageContaining("aws s3 mb s3://" + missing)
                .hasMessageContaining("s3.bucket");
    }

    @Test
    void anUnknownAccessKeyIsBadCredentials() {
        S3StartupCheckException error = verifyFails(S3.config(S3.createBucket()).withCredentials("no-such-key", S3ProxyFixture.SECRET_KEY));
        assertThat(error.problem()).isEqualTo(Problem.BAD_CREDENTIALS);
        assertThat(error).hasMessageContaining("rejected the credentials").hasMessageContaining("s3.access.key")
                .hasMessageContaining("s3.secret.key");
    }

    @Test
    void aWrongSecretKeyIsBadCredentials() {
        S3StartupCheckException error = verifyFails(S3.config(S3.createBucket()).withCredentials(S3ProxyFixture.ACCESS_KEY, "wrong"));
        assertThat(error.problem()).isEqualTo(Problem.BAD_CREDENTIALS);
        assertThat(error).hasMessageContaining("SignatureDoesNotMatch");
    }

    @Test
    void aClosedPortIsAnUnreachableEndpoint() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
        S3StartupCheckException error = verifyFails(S3.config(S3.createBucket()).withEndpoint(nowhere));
        assertThat(error.problem()).isEqualTo(Problem.ENDPOINT_UNREACHABLE);
        assertThat(error).hasMessageContaining("Cannot reach S3 at " + nowhere).hasMessageContaining("s3.endpoint");
    }
}
