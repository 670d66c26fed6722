package dev.stratus.broker.group;

import dev.stratus.broker.testing.RawKafkaClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;

/** Group requests sent over a {@link RawKafkaClient}: a member that does exactly what a test says. Test-only. */
final class RawGroupClient implements AutoCloseable {

    final RawKafkaClient client;

    RawGroupClient(int port) throws IOException {
        client = new RawKafkaClient(port);
    }

    static byte[] subscription(String... topics) {
        ByteBuffer buffer = ConsumerProtocol.serializeSubscription(new ConsumerPartitionAssignor.Subscription(List.of(topics)));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    static byte[] assignment(String topic, int... partitions) {
        List<org.apache.kafka.common.TopicPartition> owned = new java.util.ArrayList<>();
        for (int partition : partitions) {
            owned.add(new org.apache.kafka.common.TopicPartition(topic, partition));
        }
        ByteBuffer buffer = ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(owned));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    JoinGroupResponse join(String group, String memberId, String instanceId, String protocolType, int sessionTimeoutMs,
                           byte[] metadata) throws IOException {
        return join(group, memberId, instanceId, protocolType, sessionTimeoutMs, sessionTimeoutMs, metadata);
    }

    JoinGroupResponse join(String group, String memberId, String instanceId, String protocolType, int sessionTimeoutMs,
                           int rebalanceTimeoutMs, byte[] metadata) throws IOException {
        JoinGroupRequestData data = new JoinGroupRequestData().setGroupId(group).setMemberId(memberId)
                .setGroupInstanceId(instanceId).setProtocolType(protocolType).setSessionTimeoutMs(sessionTimeoutMs)
                .setRebalanceTimeoutMs(rebalanceTimeoutMs);
        data.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(metadata));
        return client.roundTrip(new JoinGroupRequest(data, (short) 9));
    }

    /** Joins as a new dynamic member (answering MEMBER_ID_REQUIRED) and returns the final JoinGroup response. */
    JoinGroupResponse joinNew(String group, int sessionTimeoutMs, byte[] metadata) throws IOException {
        JoinGroupResponse first = join(group, "", null, "consumer", sessionTimeoutMs, metadata);
        return join(group, first.data().memberId(), null, "consumer", sessionTimeoutMs, metadata);
    }

    SyncGroupResponse sync(String group, int generation, String memberId, String instanceId,
                           List<SyncGroupRequestData.SyncGroupRequestAssignment> assignments) throws IOException {
        SyncGroupRequestData data = new SyncGroupRequestData().setGroupId(group).setGenerationId(generation)
                .setMemberId(memberId).setGroupInstanceId(instanceId).setProtocolType("consumer").setProtocolName("range")
                .setAssignments(assignments);
        return client.roundTrip(new SyncGroupRequest(data, (short) 5));
    }

    HeartbeatResponse heartbeat(String group, int generation, String memberId, String instanceId) throws IOException {
        return client.roundTrip(new HeartbeatRequest.Builder(new HeartbeatRequestData().setGroupId(group)
                .setGenerationId(generation).setMemberId(memberId).setGroupInstanceId(instanceId)).build((short) 4));
    }

    OffsetCommitResponse commit(String group, int generation, String memberId, String topic, int partition, long offset)
            throws IOException {
        OffsetCommitRequestData data = new OffsetCommitRequestData().setGroupId(group)
                .setGenerationIdOrMemberEpoch(generation).setMemberId(memberId);
        OffsetCommitRequestData.OffsetCommitRequestTopic t = new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic);
        t.partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(partition)
                .setCommittedOffset(offset).setCommittedLeaderEpoch(-1));
        data.topics().add(t);
        return client.roundTrip(new OffsetCommitRequest(data, (short) 9));
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
