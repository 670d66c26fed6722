package dev.stratus.metadata.quorum;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * How a node reaches the active controller: a Ratis client of the quorum that delivers each
 * request to the current leader (following leader changes and retrying while an election
 * runs) and returns its answer. Requests travel as read-only messages, so they are never
 * written to the log themselves; the controller writes what it decides. They are unordered,
 * so that a metadata fetch waiting for news never holds up a change. Thread-safe.
 */
public final class QuorumClient implements AutoCloseable {

    /** Attempts of one request across leader changes: about 30 s with the sleep below and elections of seconds. */
    private static final int MAX_ATTEMPTS = 150;
    private static final long RETRY_SLEEP_MS = 200;

    private final RaftClient client;

    private QuorumClient(RaftClient client) {
        this.client = client;
    }

    /** A client of the quorum that {@code settings} names (the node itself need not be a voter). */
    public static QuorumClient open(QuorumSettings settings) {
        RaftClient client = RaftClient.newBuilder()
                .setProperties(RatisMetadataLog.properties(settings))
                .setRaftGroup(QuorumPeers.group(settings.clusterId(), settings.voters()))
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(MAX_ATTEMPTS,
                        TimeDuration.valueOf(RETRY_SLEEP_MS, TimeUnit.MILLISECONDS)))
                .build();
        return new QuorumClient(client);
    }

    /** Sends {@code request} to the leader; completes with its answer, or fails when no leader answered. */
    public CompletableFuture<byte[]> request(byte[] request) {
        return client.async().sendReadOnlyUnordered(Message.valueOf(ByteString.copyFrom(request))).thenApply(reply -> {
            if (!reply.isSuccess()) {
                throw new CompletionException(new IOException("controller quorum did not answer: " + reply.getException(),
                        reply.getException()));
            }
            return reply.getMessage().getContent().toByteArray();
        });
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
