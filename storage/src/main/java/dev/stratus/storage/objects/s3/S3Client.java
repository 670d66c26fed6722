package dev.stratus.storage.objects.s3;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The SDK client of one {@link S3ObjectStorage} and the Netty event loops under it, closed
 * together: the client first (in-flight requests fail), then the event loops after a short
 * quiet period (long enough for the connection pool's last release tasks; Netty's default is 2 s).
 */
record S3Client(S3AsyncClient sdk, EventLoopGroup eventLoops) implements AutoCloseable {

    @Override
    public void close() {
        sdk.close();
        eventLoops.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
