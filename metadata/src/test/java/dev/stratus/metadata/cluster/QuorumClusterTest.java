package dev.stratus.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stratus.metadata.BrokerLoad;
import dev.stratus.metadata.BrokerRegistrationRequest;
import dev.stratus.metadata.MetadataErrorCode;
import dev.stratus.metadata.MetadataException;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.quorum.QuorumStatus;
import dev.stratus.metadata.quorum.QuorumSettings;
import dev.stratus.metadata.quorum.QuorumVoter;
import dev.stratus.storage.metadata.StreamMetadata;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three quorum members and a broker that is not one, in this JVM on loopback: the broker's
 * changes reach the active controller wherever it is, come back to its own image before they
 * complete, and stop being accepted once its registration is fenced.
 */
class QuorumClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long SESSION_TIMEOUT_MS = 1_500;

    @TempDir
    Path dir;

    private List<QuorumVoter> voters;
    private final List<QuorumMember> members = new ArrayList<>();
    private final MetadataLoader brokerImage = new MetadataLoader();
    private QuorumFollower broker;

    @BeforeEach
    void start() throws IOException {
        voters = List.of(new QuorumVoter(1, "127.0.0.1", freePort()), new QuorumVoter(2, "127.0.0.1", freePort()),
                new QuorumVoter(3, "127.0.0.1", freePort()));
        for (QuorumVoter voter : voters) {
            members.add(startMember(voter.id()));
        }
        broker = QuorumFollower.start(settings(10), brokerImage, true);
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
        members.forEach(QuorumMember::close);
    }

    private QuorumSettings settings(int nodeId) {
        return QuorumSettings.defaults(nodeId, "cluster-test", voters, dir.resolve("node-" + nodeId))
                .withElectionTimeoutMs(600, 1200);
    }

    private QuorumMember startMember(int id) throws IOException {
        return QuorumMember.start(settings(id), new MetadataLoader(), Clock.systemUTC(), SESSION_TIMEOUT_MS);
    }

    private QuorumMember awaitLeader() {
        await().atMost(WAIT).until(() -> members.stream().anyMatch(QuorumMember::leads));
        return members.stream().filter(QuorumMember::leads).findFirst().orElseThrow();
    }

    private long register() throws Exception {
        return broker.controller().registerBroker(new BrokerRegistrationRequest(10, UUID.randomUUID(), "127.0.0.1", 9092, "r1"))
                .get(20, TimeUnit.SECONDS);
    }

    @Test
    void aBrokersChangeIsInItsOwnImageWhenTheChangeCompletes() throws Exception {
        awaitLeader();
        register();

        TopicMetadata created = broker.controller().createTopic("orders", 3, Map.of()).get(20, TimeUnit.SECONDS);

        assertThat(brokerImage.image().topic("orders")).isEqualTo(created);
        assertThat(brokerImage.image().brokers().broker(10).rack()).isEqualTo("r1");
        assertThat(created.partitions()).extracting(p -> p.leaderId()).containsOnly(10);
    }

    @Test
    void whatTheControllerCommitsReachesTheBrokersImageWithinASecondOrTwo() throws Exception {
        QuorumMember leader = awaitLeader();
        broker.caughtUp().get(20, TimeUnit.SECONDS);

        leader.controller().createTopic("elsewhere", 1, Map.of()).get(20, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(3)).until(() -> brokerImage.image().topic("elsewhere") != null);
    }

    @Test
    void aBrokerThatStopsHeartbeatingIsFencedAndItsStreamChangesAreRefusedUntilItRegistersAgain() throws Exception {
        awaitLeader();
        long epoch = register();
        long stream = broker.controller().createTopic("fenced", 1, Map.of()).get(20, TimeUnit.SECONDS).partition(0).streamId();

        // No heartbeat: the lease runs out and the controller fences this registration.
        await().atMost(WAIT).until(() -> brokerImage.image().brokers().broker(10).fenced());

        assertThatThrownBy(() -> broker.controller().openStream(stream, 5).get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(MetadataException.class)
                .extracting(e -> ((MetadataException) e).code()).isEqualTo(MetadataErrorCode.STALE_BROKER_EPOCH);
        assertThatThrownBy(() -> broker.controller().heartbeat(10, epoch, false, BrokerLoad.NONE).get(20, TimeUnit.SECONDS))
                .cause().extracting(e -> ((MetadataException) e).code()).isEqualTo(MetadataErrorCode.STALE_BROKER_EPOCH);
        assertThat(brokerImage.image().streams().stream(stream).epoch()).isZero();

        long again = register();
        StreamMetadata opened = broker.controller().openStream(stream, 5).get(20, TimeUnit.SECONDS);

        assertThat(again).isGreaterThan(epoch);
        assertThat(brokerImage.image().brokers().broker(10).fenced()).isFalse();
        assertThat(opened.epoch()).isEqualTo(5);
    }

    @Test
    void heartbeatsKeepABrokerUnfencedCarryItsLoadAndAControlledShutdownFencesItAtOnce() throws Exception {
        QuorumMember leader = awaitLeader();
        long epoch = register();
        UUID topic = broker.controller().createTopic("loaded", 1, Map.of()).get(20, TimeUnit.SECONDS).topicId();
        BrokerLoad load = new BrokerLoad(0, 0, List.of(), -1);
        for (int i = 0; i < 6; i++) {
            load = new BrokerLoad(100L * i, 4096, List.of(new BrokerLoad.PartitionLoad(topic, 0, 1000L * i, 500L * i)), i);
            broker.controller().heartbeat(10, epoch, false, load).get(20, TimeUnit.SECONDS);
            Thread.sleep(SESSION_TIMEOUT_MS / 3);
        }
        assertThat(brokerImage.image().brokers().broker(10).fenced()).isFalse();
        assertThat(leader.controller().brokerLoads().get(10).load()).isEqualTo(load);

        broker.controller().heartbeat(10, epoch, true, BrokerLoad.NONE).get(20, TimeUnit.SECONDS);

        assertThat(brokerImage.image().brokers().broker(10).fenced()).isTrue();
    }

    @Test
    void theQuorumDescribesABrokerAsAnObserverAtTheMetadataOffsetItsHeartbeatReported() throws Exception {
        awaitLeader();
        long epoch = register();
        broker.controller().createTopic("observed", 1, Map.of()).get(20, TimeUnit.SECONDS);
        QuorumStatus before = broker.controller().describeQuorum().get(20, TimeUnit.SECONDS);
        assertThat(before.observers()).singleElement().satisfies(o -> assertThat(o.logEndOffset()).isEqualTo(-1));

        // Behind: an offset before the topic.
        broker.controller().heartbeat(10, epoch, false, new BrokerLoad(0, 0, List.of(), 1)).get(20, TimeUnit.SECONDS);
        QuorumStatus.Replica behind = broker.controller().describeQuorum().get(20, TimeUnit.SECONDS).observers().get(0);
        assertThat(behind.logEndOffset()).isEqualTo(1);
        assertThat(behind.lastFetchTimestampMs()).isPositive();
        assertThat(behind.lastCaughtUpTimestampMs()).isEqualTo(-1);

        // Caught up: everything the image holds, hence at the high watermark.
        broker.controller().heartbeat(10, epoch, false, new BrokerLoad(0, 0, List.of(), brokerImage.image().offset()))
                .get(20, TimeUnit.SECONDS);
        QuorumStatus now = broker.controller().describeQuorum().get(20, TimeUnit.SECONDS);
        assertThat(now.observers()).singleElement().satisfies(o -> {
            assertThat(o.id()).isEqualTo(10);
            assertThat(o.logEndOffset()).isEqualTo(now.highWatermark());
            assertThat(o.lastCaughtUpTimestampMs()).isPositive();
        });
    }

    @Test
    void aBrokersRequestsReachTheNewActiveControllerAfterTheLeaderStops() throws Exception {
        QuorumMember leader = awaitLeader();
        register();
        broker.controller().createTopic("before", 1, Map.of()).get(20, TimeUnit.SECONDS);

        leader.close();
        members.remove(leader);

        TopicMetadata after = broker.controller().createTopic("after", 1, Map.of()).get(30, TimeUnit.SECONDS);
        assertThat(brokerImage.image().topic("after")).isEqualTo(after);
        assertThat(brokerImage.image().topic("before")).isNotNull();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
