package dev.stratus.broker.group;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The coordinator's requests and results, free of protocol versions: API handlers translate
 * Kafka's request data into these and the results back into the response of the request's
 * version. All immutable.
 */
public final class GroupMessages {

    private GroupMessages() {
    }

    /** One protocol a member supports (an assignor name) and its subscription bytes. */
    public record Protocol(String name, byte[] metadata) {
    }

    public record JoinRequest(String groupId, String memberId, String groupInstanceId, String clientId,
                              String clientHost, int sessionTimeoutMs, int rebalanceTimeoutMs, String protocolType,
                              List<Protocol> protocols, boolean requireKnownMemberId) {
    }

    /** A member as the leader sees it in a JoinGroup response. */
    public record MemberSubscription(String memberId, String groupInstanceId, byte[] metadata) {
    }

    public record JoinResult(Errors error, int generationId, String protocolType, String protocolName, String leaderId,
                             String memberId, List<MemberSubscription> members, boolean skipAssignment) {

        static JoinResult error(Errors error, String memberId) {
            return new JoinResult(error, -1, null, null, "", memberId, List.of(), false);
        }
    }

    public record SyncRequest(String groupId, int generationId, String memberId, String groupInstanceId,
                              String protocolType, String protocolName, Map<String, byte[]> assignments) {
    }

    public record SyncResult(Errors error, String protocolType, String protocolName, byte[] assignment) {

        static SyncResult error(Errors error) {
            return new SyncResult(error, null, null, new byte[0]);
        }
    }

    /** A member to remove with LeaveGroup: by member id, or by instance id (member id may then be empty). */
    public record LeavingMember(String memberId, String groupInstanceId) {
    }

    public record LeaveResult(Errors error, List<MemberLeaveResult> members) {
    }

    public record MemberLeaveResult(String memberId, String groupInstanceId, Errors error) {
    }

    /** A committed offset as stored. {@code leaderEpoch} is -1 when unknown. */
    public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {
    }

    public record CommitRequest(String groupId, int generationId, String memberId, String groupInstanceId,
                                Map<TopicPartition, CommittedOffset> offsets) {
    }

    /** Offsets of a group; {@code offsets} holds only partitions that have a committed offset. */
    public record FetchResult(Errors error, Map<TopicPartition, CommittedOffset> offsets) {
    }

    public record MemberDescription(String memberId, String groupInstanceId, String clientId, String clientHost,
                                    byte[] metadata, byte[] assignment) {
    }

    public record GroupDescription(Errors error, String groupId, String state, String protocolType,
                                   String protocolData, List<MemberDescription> members) {
    }

    /** {@code type}: "classic" or "consumer" (KIP-848), as ListGroups v5 reports it. */
    public record GroupListing(String groupId, String protocolType, String state, String type) {
    }

    public record ListResult(Errors error, List<GroupListing> groups) {
    }

    public record OffsetDeleteResult(Errors error, Map<TopicPartition, Errors> partitions) {
    }

    /** A ConsumerGroupHeartbeat (KIP-848); null fields did not change since the member's last heartbeat. */
    record ConsumerHeartbeat(String groupId, String memberId, int memberEpoch, String instanceId, String rackId,
                             int rebalanceTimeoutMs, List<String> subscribedTopicNames, String subscribedTopicRegex,
                             String serverAssignor, Assignment ownedPartitions, String clientId, String clientHost,
                             boolean clientGeneratesMemberId) {
    }

    /** {@code assignment} null: unchanged since the last response. */
    record ConsumerHeartbeatResult(Errors error, String errorMessage, String memberId, int memberEpoch,
                                   int heartbeatIntervalMs, Assignment assignment) {

        static ConsumerHeartbeatResult error(Errors error, String message) {
            return new ConsumerHeartbeatResult(error, message, null, 0, 0, null);
        }
    }

    record ConsumerMemberDescription(String memberId, String instanceId, String rackId, int memberEpoch,
                                     String clientId, String clientHost, List<String> subscribedTopicNames,
                                     String subscribedTopicRegex, Assignment assignment, Assignment target) {
    }

    record ConsumerGroupDescription(Errors error, String errorMessage, String groupId, String state, int groupEpoch,
                                    int assignmentEpoch, String assignorName, List<ConsumerMemberDescription> members) {
    }
}
