package dev.stratus.broker.group;

import dev.stratus.broker.group.GroupMessages.CommittedOffset;
import java.util.List;

/**
 * One record of {@code __consumer_offsets}: a committed offset or a group's metadata, keyed so
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
