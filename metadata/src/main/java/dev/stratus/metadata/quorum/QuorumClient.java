package dev.stratus.metadata.quorum;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.impl.RaftClientImpl;
import org.apache.ratis.client.impl.UnorderedAsync;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * How a node reaches the controller quorum: a Ratis client that delivers each request to a
 * member (following leader changes and retrying while an election runs) and returns its
 * answer. Requests travel as read-only messages, so they are never written to the log
 * themselves; the controller writes what it decides. They are unordered, so that a metadata
 * fetch waiting for news never holds up a change.
 *
 * <p>Two kinds: a {@link #read} is linearizable (the member that serves it first learns the
 * leader's commit index, confirmed by a round of heartbeats, and applies up to it, so it sees
 * every change committed before the read was sent, even when a deposed leader still believes
 * it leads); a {@link #toLeader} request is served by the member that leads, with no such
 * round, for changes (which the log orders anyway) and questions only the leader can answer.
 * Thread-safe.
 */
public final class QuorumClient implements AutoCloseable {

    /** Attempts of one request across leader changes: about 30 s with the sleep below and elections of seconds. */
    private static final int MAX_ATTEMPTS = 150;
    private static final long RETRY_SLEEP_MS = 200;
    /** A request the leader serves as it stands: members that do not lead refuse it and name the leader. */
    private static final RaftClientRequest.Type LEADER_ONLY = RaftClientRequest.readRequestType(true);

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

    /** A linearizable read (a metadata fetch): completes with the answer of a member that is up to date as of the send. */
    public CompletableFuture<byte[]> read(byte[] request) {
        return answer(client.async().sendReadOnlyUnordered(Message.valueOf(ByteString.copyFrom(request))));
    }

    /** A request the active controller serves (a change, or the quorum's status); fails when no leader answered. */
    public CompletableFuture<byte[]> toLeader(byte[] request) {
        // Ratis offers the leader-only kind only on its ordered path, whose window a fetch would hold
        // up; its unordered sender takes any request type.
        return answer(UnorderedAsync.send(LEADER_ONLY, Message.valueOf(ByteString.copyFrom(request)), null,
                (RaftClientImpl) client));
    }

    private static CompletableFuture<byte[]> answer(CompletableFuture<RaftClientReply> sent) {
        return sent.thenApply(reply -> {
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
