package dev.stratus.storage.objects.s3;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>The Netty event loops ({@code stratus-s3-netty-*}, two threads) are ours rather than the
 * SDK's, so that closing them skips Netty's two-second quiet period.
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

    /**
     * The client and the event loops it runs on; close both with {@link S3Client#close()}.
     * The SDK recognises only Netty's classic group types (not 4.2's
     * {@code MultiThreadIoEventLoopGroup}), hence the deprecated {@code NioEventLoopGroup}.
     */
    @SuppressWarnings("deprecation")
    static S3Client create(S3Config config) {
        AtomicInteger threadIds = new AtomicInteger();
        EventLoopGroup eventLoops = new NioEventLoopGroup(EVENT_LOOP_THREADS, (java.util.concurrent.ThreadFactory) runnable -> {
            Thread thread = new Thread(runnable, "stratus-s3-netty-" + threadIds.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            return new S3Client(build(config, eventLoops), eventLoops);
        } catch (RuntimeException e) {
            eventLoops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static S3AsyncClient build(S3Config config, EventLoopGroup eventLoops) {
        Duration attemptTimeout = Duration.ofMillis(config.requestTimeoutMs());
        NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder()
                .maxConcurrency(config.maxInflightRequests())
                .maxPendingConnectionAcquires(Math.max(config.maxInflightRequests(), 16))
                .connectionTimeout(CONNECT_TIMEOUT)
                .connectionAcquisitionTimeout(attemptTimeout)
                .readTimeout(attemptTimeout)
                .writeTimeout(attemptTimeout)
                .eventLoopGroup(SdkEventLoopGroup.create(eventLoops, NioSocketChannel::new));
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
