package dev.stratus.storage.objects.s3;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Builds the SDK's async S3 client from an {@link S3Config}, the way a user would configure it:
 * region, optional endpoint override, path-style option, static credentials or the default
 * chain, on the Netty HTTP client. Stateless.
 *
 * <p>What it sets on purpose:
 * <ul>
 *   <li><b>No SDK retries.</b> {@link S3RequestRunner} retries with {@link S3RetryPolicy}, so every
 *       attempt is counted once and backoff is ours to test.</li>
 *   <li><b>Timeouts per attempt</b> ({@code requestTimeoutMs}): a stuck request is abandoned and
 *       retried instead of holding an in-flight slot forever.</li>
 *   <li><b>Connections</b> sized to the in-flight bound, so the HTTP client never queues behind
 *       the {@link RequestLimiter}.</li>
 *   <li><b>Checksums</b>: the SDK's defaults since 2.30 ({@code WHEN_SUPPORTED}: a CRC32 checksum
 *       on every upload, sent as a trailer of an aws-chunked body, and validated on full-object
 *       GETs). s3proxy 4.1.0, which the tests run against, accepts them; 2.6.0 did not. Stores
 *       that reject flexible checksums need {@code WHEN_REQUIRED} here.</li>
 * </ul>
 */
public final class S3ClientFactory {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int EVENT_LOOP_THREADS = 2;

    private S3ClientFactory() {
    }

    public static S3AsyncClient create(S3Config config) {
        Duration attemptTimeout = Duration.ofMillis(config.requestTimeoutMs());
        NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder()
                .maxConcurrency(config.maxInflightRequests())
                .maxPendingConnectionAcquires(Math.max(config.maxInflightRequests(), 16))
                .connectionTimeout(CONNECT_TIMEOUT)
                .connectionAcquisitionTimeout(attemptTimeout)
                .readTimeout(attemptTimeout)
                .writeTimeout(attemptTimeout)
                .eventLoopGroupBuilder(SdkEventLoopGroup.builder().numberOfThreads(EVENT_LOOP_THREADS));
        var builder = S3AsyncClient.builder()
                .httpClientBuilder(http)
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config))
                .forcePathStyle(config.pathStyleAccess())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED)
                .overrideConfiguration(override -> override
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(attemptTimeout)
                        .apiCallTimeout(attemptTimeout));
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(S3Config config) {
        if (config.staticCredentials()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
