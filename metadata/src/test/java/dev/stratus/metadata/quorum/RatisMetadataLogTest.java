package dev.stratus.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stratus.metadata.controller.QuorumController;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.log.MetadataLog;
import dev.stratus.metadata.log.MetadataLogListener;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.metadata.record.ProducerIdsRecord;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three quorum members in this JVM on loopback ports, each with its own image and controller:
 * what one leader decides reaches every image, a new leader takes over when it stops, a member
 * that missed a lot catches up from a snapshot, and a decision of a deposed leader is never
 * applied anywhere.
 */
class RatisMetadataLogTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private List<QuorumVoter> voters;
    private final List<Member> members = new ArrayList<>();

    /** One quorum member as a controller node runs it. */
    private final class Member implements AutoCloseable {
        final int id;
        final MetadataLoader loader = new MetadataLoader();
        final AtomicInteger snapshotsLoaded = new AtomicInteger();
        final RatisMetadataLog log;
        final QuorumController controller;

        Member(int id, long snapshotThreshold) throws IOException {
            this.id = id;
            QuorumSettings settings = QuorumSettings.defaults(id, "test-cluster", voters, dir.resolve("node-" + id))
                    .withElectionTimeoutMs(600, 1200).withSnapshotThresholdEntries(snapshotThreshold)
                    .withLogSegmentBytes(64 << 10);
            log = new RatisMetadataLog(settings);
            log.start(new MetadataLogListener() {
                @Override
                public void onCommit(long offset, List<MetadataRecord> records) {
                    loader.onCommit(offset, records);
                }

                @Override
                public void onSnapshot(long offset, List<MetadataRecord> records) {
                    snapshotsLoaded.incrementAndGet();
                    loader.onSnapshot(offset, records);
                }

                @Override
                public List<MetadataRecord> snapshot() {
                    return loader.snapshot();
                }
            });
            controller = new QuorumController(log, loader, Clock.systemUTC());
        }

        boolean leads() {
            return log.leader().leaderId() == id;
        }

        @Override
        public void close() {
            controller.close();
            log.close();
        }
    }

    @BeforeEach
    void startQuorum() throws IOException {
        voters = List.of(new QuorumVoter(1, "127.0.0.1", freePort()), new QuorumVoter(2, "127.0.0.1", freePort()),
                new QuorumVoter(3, "127.0.0.1", freePort()));
    }

    @AfterEach
    void stopQuorum() {
        members.forEach(Member::close);
    }

    private void startAll(long snapshotThreshold) throws IOException {
        for (QuorumVoter voter : voters) {
            members.add(new Member(voter.id(), snapshotThreshold));
        }
    }

    private Member awaitLeader(List<Member> candidates) {
        await().atMost(WAIT).until(() -> candidates.stream().anyMatch(Member::leads));
        return candidates.stream().filter(Member::leads).findFirst().orElseThrow();
    }

    @Test
    void whatTheLeaderDecidesReachesEveryMembersImage() throws Exception {
        startAll(10_000);
        Member leader = awaitLeader(members);

        leader.controller.createTopic("orders", 3, Map.of()).get(20, TimeUnit.SECONDS);

        for (Member member : members) {
            await().atMost(WAIT).until(() -> member.loader.image().topic("orders") != null);
            assertThat(member.loader.image().topicsImage()).isEqualTo(leader.loader.image().topicsImage());
            assertThat(member.loader.image().streams()).isEqualTo(leader.loader.image().streams());
        }
    }

    @Test
    void aFollowerRefusesToDecideAndSaysWhoLeads() throws Exception {
        startAll(10_000);
        Member leader = awaitLeader(members);
        Member follower = members.stream().filter(m -> m != leader).findFirst().orElseThrow();
        await().atMost(WAIT).until(() -> follower.log.leader().leaderId() == leader.id);

        assertThatThrownBy(() -> follower.controller.createTopic("nope", 1, Map.of()).get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("not the active controller");
    }

    @Test
    void whenTheLeaderStopsAnotherIsElectedAndDecisionsContinue() throws Exception {
        startAll(10_000);
        Member first = awaitLeader(members);
        first.controller.createTopic("before", 1, Map.of()).get(20, TimeUnit.SECONDS);

        first.close();
        members.remove(first);
        Member second = awaitLeader(members);
        second.controller.createTopic("after", 1, Map.of()).get(20, TimeUnit.SECONDS);

        assertThat(second.id).isNotEqualTo(first.id);
        for (Member member : members) {
            await().atMost(WAIT).until(() -> member.loader.image().topic("after") != null);
            assertThat(member.loader.image().topic("before")).isNotNull();
        }
    }

    @Test
    void aMemberThatMissedManyEntriesCatchesUpFromASnapshotAndTheLogAfterIt() throws Exception {
        startAll(20);
        Member leader = awaitLeader(members);
        Member lagging = members.stream().filter(m -> m != leader).findFirst().orElseThrow();
        lagging.close();
        members.remove(lagging);
        // Enough entries (of several KiB each) to fill and close log segments, which the leader then purges.
        for (int i = 0; i < 40; i++) {
            leader.controller.createTopic("bulk-" + i, 100, Map.of()).get(20, TimeUnit.SECONDS);
            leader.controller.allocateProducerIds(10).get(20, TimeUnit.SECONDS);
        }
        leader.controller.createTopic("late", 2, Map.of()).get(20, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> snapshotFiles(leader.id) > 0);

        Member restarted = new Member(lagging.id, 20);
        members.add(restarted);

        await().atMost(WAIT).until(() -> restarted.loader.image().topic("late") != null
                && restarted.loader.image().nextProducerId() == leader.loader.image().nextProducerId());
        assertThat(restarted.snapshotsLoaded.get()).as("snapshots loaded by the lagging member").isPositive();
        assertThat(restarted.loader.image().topicsImage()).isEqualTo(leader.loader.image().topicsImage());
        assertThat(restarted.loader.image().nextProducerId()).isEqualTo(400);
    }

    @Test
    void aMemberRestartedWithItsDataRebuildsTheSameImage() throws Exception {
        startAll(10_000);
        Member leader = awaitLeader(members);
        leader.controller.createTopic("kept", 4, Map.of("retention.ms", "1000")).get(20, TimeUnit.SECONDS);
        Member follower = members.stream().filter(m -> m != leader).findFirst().orElseThrow();
        await().atMost(WAIT).until(() -> follower.loader.image().topic("kept") != null);
        MetadataImage before = follower.loader.image();
        follower.close();
        members.remove(follower);

        Member again = new Member(follower.id, 10_000);
        members.add(again);

        await().atMost(WAIT).until(() -> again.loader.image().topic("kept") != null);
        assertThat(again.loader.image().topicsImage()).isEqualTo(before.topicsImage());
        assertThat(again.loader.image().streams()).isEqualTo(before.streams());
    }

    @Test
    void aDecisionOfAnEarlierTermIsSkippedByEveryMember() throws Exception {
        startAll(10_000);
        Member leader = awaitLeader(members);
        MetadataLog.LeaderAndEpoch now = leader.log.leader();
        long producerIdsBefore = leader.loader.image().nextProducerId();

        List<MetadataRecord> stale = List.of(new ProducerIdsRecord(1_000_000));
        assertThatThrownBy(() -> leader.log.propose(now.epoch() - 1, stale).get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(MetadataLog.NotLeaderException.class);

        leader.controller.allocateProducerIds(1).get(20, TimeUnit.SECONDS);
        for (Member member : members) {
            await().atMost(WAIT).until(() -> member.loader.image().nextProducerId() == producerIdsBefore + 1);
        }
    }

    private long snapshotFiles(int id) throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("node-" + id))) {
            return files.filter(p -> p.getFileName().toString().startsWith("snapshot.")
                    && !p.getFileName().toString().endsWith(".md5")).count();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
