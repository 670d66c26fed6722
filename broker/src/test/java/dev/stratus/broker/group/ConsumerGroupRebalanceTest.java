package dev.stratus.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.broker.testing.TestBroker;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Groups of real Java consumers: rebalances as members join, leave (close) and crash (a member
 * that stops heartbeating), with every record consumed at least once; and each client-side
 * assignor ending in a valid, even assignment.
 */
class ConsumerGroupRebalanceTest {

    private static final String TOPIC = "events";
    private static final int PARTITIONS = 6;
    private TestBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = GroupTestSupport.broker();
        GroupTestSupport.createTopic(broker, TOPIC, PARTITIONS);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void membersJoinLeaveAndCrashWithoutLosingRecords() throws Exception {
        Set<String> consumed = ConcurrentHashMap.newKeySet();
        List<String> produced = new ArrayList<>();
        produce("first", 60, produced);
        GroupMember a = member("rebalance", "a", null, consumed);
        GroupMember b = member("rebalance", "b", null, consumed);
        awaitEvenAssignment(List.of(a, b));

        // A third member that crashes: it joins (so the others rebalance to make room), then never heartbeats again.
        try (RawGroupClient crashing = new RawGroupClient(broker.port)) {
            JoinGroupResponse joined = crashing.joinNew("rebalance", 1000, RawGroupClient.subscription(TOPIC));
            assertThat(joined.error()).isEqualTo(Errors.NONE);
            List<SyncGroupRequestData.SyncGroupRequestAssignment> none = List.of();
            assertThat(crashing.sync("rebalance", joined.data().generationId(), joined.data().memberId(), null, none)
                    .error()).isIn(Errors.NONE, Errors.REBALANCE_IN_PROGRESS);
        }
        produce("second", 60, produced);
        // After its session timeout the crashed member is removed and its partitions go back to a and b.
        awaitEvenAssignment(List.of(a, b));

        GroupMember c = member("rebalance", "c", null, consumed);
        awaitEvenAssignment(List.of(a, b, c));
        produce("third", 60, produced);
        c.close();
        awaitEvenAssignment(List.of(a, b));
        produce("fourth", 60, produced);

        await(() -> consumed.containsAll(produced), "every record consumed");
        a.close();
        b.close();
        assertThat(a.failure()).isNull();
        assertThat(b.failure()).isNull();
        assertThat(c.failure()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"range", "roundrobin", "sticky", "cooperative-sticky"})
    void everyAssignorEndsInAValidEvenAssignment(String assignor) throws Exception {
        String strategy = switch (assignor) {
            case "range" -> "org.apache.kafka.clients.consumer.RangeAssignor";
            case "roundrobin" -> "org.apache.kafka.clients.consumer.RoundRobinAssignor";
            case "sticky" -> "org.apache.kafka.clients.consumer.StickyAssignor";
            default -> "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
        };
        Set<String> consumed = ConcurrentHashMap.newKeySet();
        List<String> produced = new ArrayList<>();
        produce(assignor, 30, produced);
        List<GroupMember> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Properties props = props("assignor-" + assignor, assignor + "-" + i, null);
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, strategy);
            members.add(new GroupMember(props, TOPIC, consumed));
        }
        awaitEvenAssignment(members);
        await(() -> consumed.containsAll(produced), "every record consumed");
        for (GroupMember member : members) {
            member.close();
            assertThat(member.failure()).isNull();
        }
    }

    private GroupMember member(String group, String clientId, String instanceId, Set<String> consumed) {
        return new GroupMember(props(group, clientId, instanceId), TOPIC, consumed);
    }

    private Properties props(String group, String clientId, String instanceId) {
        Properties props = GroupTestSupport.consumerProps(broker, group);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        if (instanceId != null) {
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        }
        return props;
    }

    private void produce(String prefix, int count, List<String> produced) throws Exception {
        GroupTestSupport.produce(broker, TOPIC, PARTITIONS, prefix, count);
        for (int i = 0; i < count; i++) {
            produced.add(prefix + "-" + i);
        }
    }

    /** Waits until the members own every partition between them, disjointly, and evenly (sizes differ by at most one). */
    static void awaitEvenAssignment(List<GroupMember> members) throws InterruptedException {
        await(() -> {
            Set<TopicPartition> union = new HashSet<>();
            int total = 0;
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (GroupMember member : members) {
                Set<TopicPartition> owned = member.assignment();
                union.addAll(owned);
                total += owned.size();
                min = Math.min(min, owned.size());
                max = Math.max(max, owned.size());
            }
            return union.size() == PARTITIONS && total == PARTITIONS && max - min <= 1;
        }, "an even assignment over " + members.size() + " member(s)");
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
