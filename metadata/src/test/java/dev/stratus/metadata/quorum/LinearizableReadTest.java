package dev.stratus.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stratus.metadata.cluster.QuorumMember;
import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.metadata.record.TopicRecord;
import dev.stratus.metadata.rpc.ControllerMessageCodec;
import dev.stratus.metadata.rpc.ControllerRequest;
import dev.stratus.metadata.rpc.ControllerResponse;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metadata fetches are linearizable reads: whichever member serves one has applied every change
 * the quorum committed before it was sent. Three members in this JVM on loopback; one follower
 * is held back from applying, as a slow or partitioned member would be.
 */
class LinearizableReadTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private List<QuorumVoter> voters;
    private final List<QuorumMember> members = new ArrayList<>();
    private final List<MetadataLoader> images = new ArrayList<>();
    private final CountDownLatch releaseFollower = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        voters = List.of(new QuorumVoter(1, "127.0.0.1", freePort()), new QuorumVoter(2, "127.0.0.1", freePort()),
                new QuorumVoter(3, "127.0.0.1", freePort()));
        for (QuorumVoter voter : voters) {
            MetadataLoader image = new MetadataLoader();
            images.add(image);
            members.add(QuorumMember.start(settings(voter.id()), image, Clock.systemUTC(), 10_000));
        }
    }

    @AfterEach
    void stop() {
        releaseFollower.countDown();
        members.forEach(QuorumMember::close);
    }

    private QuorumSettings settings(int nodeId) {
        return QuorumSettings.defaults(nodeId, "read-test", voters, dir.resolve("node-" + nodeId))
                .withElectionTimeoutMs(600, 1200);
    }

    @Test
    void aFetchServedByAFollowerWaitsUntilItHasAppliedEveryChangeCommittedBeforeIt() throws Exception {
        await().atMost(WAIT).until(() -> members.stream().anyMatch(QuorumMember::leads));
        QuorumMember leader = members.stream().filter(QuorumMember::leads).findFirst().orElseThrow();
        int follower = members.indexOf(members.stream().filter(m -> !m.leads()).findFirst().orElseThrow());
        long before = images.get(follower).image().offset();
        // The follower's apply stops at the topic (a publisher that blocks, which real ones must not do).
        images.get(follower).subscribe((delta, image) -> {
            if (image.topic("late") != null) {
                awaitRelease();
            }
        });

        leader.controller().createTopic("late", 1, Map.of()).get(20, TimeUnit.SECONDS);
        CompletableFuture<RaftClientReply> fetch;
        try (RaftClient client = RaftClient.newBuilder().setProperties(RatisMetadataLog.properties(settings(99)))
                .setRaftGroup(QuorumPeers.group("read-test", voters)).build()) {
            byte[] request = ControllerMessageCodec.encodeRequest(new ControllerRequest.Envelope(-1, -1,
                    new ControllerRequest.FetchMetadata(before, 0)));
            fetch = client.async().sendReadOnlyUnordered(Message.valueOf(ByteString.copyFrom(request)),
                    QuorumPeers.peerId(voters.get(follower).id()));

            // Answering now would leave out a change committed before the fetch was sent.
            Thread.sleep(500);
            assertThat(fetch).isNotDone();
            releaseFollower.countDown();

            RaftClientReply reply = fetch.get(20, TimeUnit.SECONDS);
            assertThat(reply.isSuccess()).as(String.valueOf(reply.getException())).isTrue();
            ControllerResponse answer = ControllerMessageCodec.decodeResponse(reply.getMessage().getContent().toByteArray());
            assertThat(answer).isInstanceOf(ControllerResponse.Batches.class);
            List<MetadataRecord> records = ((ControllerResponse.Batches) answer).batches().stream()
                    .flatMap(batch -> batch.records().stream()).toList();
            assertThat(records).anySatisfy(record ->
                    assertThat(record).isInstanceOfSatisfying(TopicRecord.class, t -> assertThat(t.name()).isEqualTo("late")));
        }
    }

    private void awaitRelease() {
        try {
            releaseFollower.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
