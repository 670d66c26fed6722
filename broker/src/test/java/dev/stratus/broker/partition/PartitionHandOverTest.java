package dev.stratus.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stratus.broker.config.BrokerLogDefaults;
import dev.stratus.broker.testing.InMemoryStreamStore;
import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.metadata.record.PartitionRecord;
import dev.stratus.metadata.record.StreamRecord;
import dev.stratus.metadata.record.TopicRecord;
import dev.stratus.storage.metadata.StreamMetadata.StreamState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A partition this broker leads is handed over when the controller records a move: the broker
 * closes it (streams closed and committed) and reports it; appends that arrive meanwhile wait
 * and are answered NOT_LEADER_OR_FOLLOWER once the target leads; a cancelled move reopens the
 * partition where it was.
 */
class PartitionHandOverTest {

    private static final UUID TOPIC = UUID.randomUUID();
    private static final long DATA = 10;
    private static final long CHECKPOINTS = 11;

    private final InMemoryStreamStore store = new InMemoryStreamStore();
    private final PartitionAgents agents = new PartitionAgents(1);
    private final MetadataLoader metadata = new MetadataLoader();
    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final AtomicReference<CompletableFuture<Void>> reportAnswer =
            new AtomicReference<>(CompletableFuture.completedFuture(null));
    private PartitionRegistry registry;
    private long offset;

    @BeforeEach
    void lead() {
        agents.start();
        registry = new PartitionRegistry(1, store, agents, 1 << 20, BrokerLogDefaults.none(), Clock.systemUTC(), 1L << 30);
        registry.setHandover((topicId, partition, leaderEpoch) -> {
            reports.add(topicId + "-" + partition + "@" + leaderEpoch);
            return reportAnswer.get();
        });
        metadata.subscribe(registry);
        commit(List.of(new TopicRecord("orders", TOPIC, Map.of()),
                new StreamRecord(DATA, 0, 0, 0, StreamState.CLOSED), new StreamRecord(CHECKPOINTS, 0, 0, 0, StreamState.CLOSED),
                partition(1, 0, -1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> leader() != null && leader().state() == PartitionLeader.State.ACTIVE);
    }

    @AfterEach
    void stop() throws InterruptedException {
        registry.closeAll().join();
        agents.shutdown(Duration.ofSeconds(5));
        store.close();
    }

    private static PartitionRecord partition(int leader, int epoch, int movingTo) {
        return new PartitionRecord(TOPIC, 0, DATA, leader, epoch, CHECKPOINTS, movingTo);
    }

    private void commit(List<MetadataRecord> records) {
        metadata.onCommit(++offset, records);
    }

    private PartitionLeader leader() {
        return registry.leader(TOPIC, 0);
    }

    private static MemoryRecords batch(String value) {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(value.getBytes()));
    }

    @Test
    void aMovingPartitionIsClosedThenReportedAndItsWaitingAppendsAreAnsweredOnceTheTargetLeads() throws Exception {
        PartitionLeader before = leader();
        assertThat(before.append(batch("a"), (short) 9).get(10, TimeUnit.SECONDS).error()).isEqualTo(Errors.NONE);

        commit(List.of(partition(1, 0, 2)));

        await().atMost(Duration.ofSeconds(10)).until(() -> reports.equals(List.of(TOPIC + "-0@0")));
        assertThat(before.state()).isEqualTo(PartitionLeader.State.HANDED_OVER);
        assertThat(store.closes.get()).isEqualTo(2);
        CompletableFuture<AppendResult> waiting = before.append(batch("b"), (short) 9);
        Thread.sleep(200);
        assertThat(waiting).isNotDone();

        commit(List.of(partition(2, 1, -1)));

        assertThat(waiting.get(10, TimeUnit.SECONDS).error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(leader()).isNull();
        // The checkpoint of everything was written before the close: the next leader reads no data.
        assertThat(store.batches(CHECKPOINTS)).isNotEmpty();
    }

    @Test
    void aCancelledMoveReopensThePartitionAtTheSameEpochWithItsData() throws Exception {
        assertThat(leader().append(batch("a"), (short) 9).get(10, TimeUnit.SECONDS).baseOffset()).isZero();
        reportAnswer.set(new CompletableFuture<>());
        commit(List.of(partition(1, 0, 2)));
        await().atMost(Duration.ofSeconds(10)).until(() -> leader().state() == PartitionLeader.State.HANDED_OVER);

        commit(List.of(partition(1, 0, -1)));

        await().atMost(Duration.ofSeconds(10)).until(() -> leader() != null && leader().state() == PartitionLeader.State.ACTIVE);
        assertThat(leader().leaderEpoch()).isZero();
        AppendResult after = leader().append(batch("b"), (short) 9).get(10, TimeUnit.SECONDS);
        assertThat(after.error()).isEqualTo(Errors.NONE);
        assertThat(after.baseOffset()).isEqualTo(1);
    }

    @Test
    void aPartitionThatOpensWhileMovingIsHandedOverOnceOpen() {
        registry.closeAll().join();
        registry = new PartitionRegistry(1, store, agents, 1 << 20, BrokerLogDefaults.none(), Clock.systemUTC(), 1L << 30);
        registry.setHandover((topicId, partition, leaderEpoch) -> {
            reports.add(topicId + "-" + partition + "@" + leaderEpoch);
            return CompletableFuture.completedFuture(null);
        });
        MetadataLoader restarted = new MetadataLoader();
        restarted.subscribe(registry);

        restarted.onCommit(1, List.of(new TopicRecord("orders", TOPIC, Map.of()),
                new StreamRecord(DATA, 0, 0, 0, StreamState.CLOSED), new StreamRecord(CHECKPOINTS, 0, 0, 0, StreamState.CLOSED),
                partition(1, 0, 3)));

        await().atMost(Duration.ofSeconds(10)).until(() -> reports.equals(List.of(TOPIC + "-0@0")));
        assertThat(leader().state()).isEqualTo(PartitionLeader.State.HANDED_OVER);
    }
}
