package dev.stratus.broker.group;

import dev.stratus.broker.group.GroupMessages.CommittedOffset;
import java.util.List;

/**
 * One record of {@code __consumer_offsets}: a committed offset, a classic group's metadata or a
 * KIP-848 consumer group's state, keyed so
 * that the last record of a key wins; a null value is a tombstone. Encoded by
 * {@link GroupRecordCodec} (format in docs/formats.md, "Consumer offsets topic").
 */
sealed interface GroupRecord {

    String groupId();

    /** A committed offset of one partition; {@code value} null deletes it. */
    record OffsetRecord(String groupId, String topic, int partition, CommittedOffset value) implements GroupRecord {
    }

    /** A group's membership after a rebalance; {@code value} null deletes the group. */
    record GroupMetadataRecord(String groupId, GroupSnapshot value) implements GroupRecord {
    }

    /** A KIP-848 consumer group's epochs, members and target assignment; {@code value} null deletes the group. */
    record ConsumerGroupRecord(String groupId, ConsumerGroupSnapshot value) implements GroupRecord {
    }

    /** The durable part of a consumer group (offsets are separate records). */
    record ConsumerGroupSnapshot(int groupEpoch, int assignmentEpoch, String assignorName,
                                 List<ConsumerMemberSnapshot> members) {

        public ConsumerGroupSnapshot {
            members = List.copyOf(members);
        }
    }

    /** The durable part of a consumer group member, with its target assignment. */
    record ConsumerMemberSnapshot(String memberId, String instanceId, String rackId, String clientId,
                                  String clientHost, int rebalanceTimeoutMs, List<String> subscribedTopicNames,
                                  String subscribedTopicRegex, String serverAssignor, int memberEpoch,
                                  int previousMemberEpoch, ConsumerMember.State state, Assignment assigned,
                                  Assignment revoking, Assignment target) {

        public ConsumerMemberSnapshot {
            subscribedTopicNames = List.copyOf(subscribedTopicNames);
        }
    }

    /** The durable part of a group. */
    record GroupSnapshot(String protocolType, int generationId, String protocolName, String leaderId,
                         long stateTimestampMs, List<MemberSnapshot> members) {

        public GroupSnapshot {
            members = List.copyOf(members);
        }
    }

    /** The durable part of a member: its subscription for the selected protocol and its assignment. */
    record MemberSnapshot(String memberId, String groupInstanceId, String clientId, String clientHost,
                          int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] subscription, byte[] assignment) {
    }
}
