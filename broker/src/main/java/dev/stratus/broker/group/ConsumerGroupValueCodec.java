package dev.stratus.broker.group;

import dev.stratus.broker.group.GroupRecord.ConsumerGroupSnapshot;
import dev.stratus.broker.group.GroupRecord.ConsumerMemberSnapshot;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * The value of a consumer group record (key type 2) after its int16 version, big-endian
 * (docs/formats.md, "Consumer offsets topic"):
 * <pre>
 * consumer group value v0 := int16 0, int32 groupEpoch, int32 assignmentEpoch, string assignorName,
 *                            int32 memberCount, member*
 * member     := string memberId, string instanceId, string rackId, string clientId, string clientHost,
 *               int32 rebalanceTimeoutMs, int32 topicNameCount, string*, string topicRegex,
 *               string serverAssignor, int32 memberEpoch, int32 previousMemberEpoch,
 *               int8 state (0 stable, 1 unrevoked partitions, 2 unreleased partitions),
 *               partitions assigned, partitions revoking, partitions target
 * partitions := int32 topicCount, (uuid topicId (16 bytes), int32 count, int32 partition*)*
 * </pre>
 * Stateless.
 */
final class ConsumerGroupValueCodec {

    private ConsumerGroupValueCodec() {
    }

    static GroupRecordCodec.Writer write(GroupRecordCodec.Writer w, ConsumerGroupSnapshot s) {
        w.putInt(s.groupEpoch()).putInt(s.assignmentEpoch()).putString(s.assignorName()).putInt(s.members().size());
        for (ConsumerMemberSnapshot m : s.members()) {
            w.putString(m.memberId()).putString(m.instanceId()).putString(m.rackId()).putString(m.clientId())
                    .putString(m.clientHost()).putInt(m.rebalanceTimeoutMs()).putInt(m.subscribedTopicNames().size());
            m.subscribedTopicNames().forEach(w::putString);
            w.putString(m.subscribedTopicRegex()).putString(m.serverAssignor()).putInt(m.memberEpoch())
                    .putInt(m.previousMemberEpoch());
            w.putBytesRaw(new byte[] {(byte) m.state().ordinal()});
            writePartitions(w, m.assigned());
            writePartitions(w, m.revoking());
            writePartitions(w, m.target());
        }
        return w;
    }

    static ConsumerGroupSnapshot read(ByteBuffer v) {
        int groupEpoch = v.getInt();
        int assignmentEpoch = v.getInt();
        String assignor = GroupRecordCodec.readString(v);
        int count = v.getInt();
        List<ConsumerMemberSnapshot> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String memberId = GroupRecordCodec.readString(v);
            String instanceId = GroupRecordCodec.readString(v);
            String rackId = GroupRecordCodec.readString(v);
            String clientId = GroupRecordCodec.readString(v);
            String clientHost = GroupRecordCodec.readString(v);
            int rebalanceTimeoutMs = v.getInt();
            int names = v.getInt();
            List<String> topics = new ArrayList<>(names);
            for (int n = 0; n < names; n++) {
                topics.add(GroupRecordCodec.readString(v));
            }
            String regex = GroupRecordCodec.readString(v);
            String serverAssignor = GroupRecordCodec.readString(v);
            int memberEpoch = v.getInt();
            int previousEpoch = v.getInt();
            ConsumerMember.State state = ConsumerMember.State.values()[v.get()];
            members.add(new ConsumerMemberSnapshot(memberId, instanceId, rackId, clientId, clientHost,
                    rebalanceTimeoutMs, topics, regex, serverAssignor, memberEpoch, previousEpoch, state,
                    readPartitions(v), readPartitions(v), readPartitions(v)));
        }
        return new ConsumerGroupSnapshot(groupEpoch, assignmentEpoch, assignor, members);
    }

    private static void writePartitions(GroupRecordCodec.Writer w, Assignment assignment) {
        w.putInt(assignment.partitions().size());
        for (Map.Entry<Uuid, ? extends Set<Integer>> topic : assignment.partitions().entrySet()) {
            w.putLong(topic.getKey().getMostSignificantBits()).putLong(topic.getKey().getLeastSignificantBits())
                    .putInt(topic.getValue().size());
            topic.getValue().forEach(w::putInt);
        }
    }

    private static Assignment readPartitions(ByteBuffer v) {
        int topics = v.getInt();
        Map<Uuid, Set<Integer>> partitions = new TreeMap<>();
        for (int t = 0; t < topics; t++) {
            Uuid id = new Uuid(v.getLong(), v.getLong());
            int count = v.getInt();
            Set<Integer> indexes = new TreeSet<>();
            for (int p = 0; p < count; p++) {
                indexes.add(v.getInt());
            }
            partitions.put(id, indexes);
        }
        return Assignment.of(partitions);
    }
}
