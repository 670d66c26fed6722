package dev.stratus.broker.group;

import dev.stratus.broker.group.GroupMessages.ConsumerGroupDescription;
import dev.stratus.broker.group.GroupMessages.ConsumerHeartbeat;
import dev.stratus.broker.group.GroupMessages.ConsumerMemberDescription;
import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;

/**
 * Handlers of the KIP-848 APIs: ConsumerGroupHeartbeat (v0: the coordinator makes up an empty
 * member id on join; v1: the client generates it and the regex subscription field exists) and
 * ConsumerGroupDescribe (v1 adds the member type: always 1, consumer). Partitions travel by topic
 * id; describe adds names from the current metadata.
 *
 * <p>Stateless; runs on event loops, completes on group agent threads.
 */
final class ConsumerGroupHandlers {

    private static final byte CONSUMER_MEMBER_TYPE = 1;

    private final GroupCoordinator coordinator;
    private final TopicsView topics;

    ConsumerGroupHandlers(GroupCoordinator coordinator, TopicsView topics) {
        this.coordinator = coordinator;
        this.topics = topics;
    }

    RequestHandler heartbeat() {
        return context -> {
            ConsumerGroupHeartbeatRequestData request = ((ConsumerGroupHeartbeatRequest) context.request()).data();
            short version = context.apiVersion();
            Assignment owned = null;
            if (request.topicPartitions() != null) {
                Map<Uuid, Set<Integer>> partitions = new TreeMap<>();
                for (ConsumerGroupHeartbeatRequestData.TopicPartitions topic : request.topicPartitions()) {
                    partitions.computeIfAbsent(topic.topicId(), t -> new TreeSet<>()).addAll(topic.partitions());
                }
                owned = Assignment.of(partitions);
            }
            ConsumerHeartbeat heartbeat = new ConsumerHeartbeat(request.groupId(), request.memberId(),
                    request.memberEpoch(), request.instanceId(), request.rackId(), request.rebalanceTimeoutMs(),
                    request.subscribedTopicNames(), version >= 1 ? request.subscribedTopicRegex() : null,
                    request.serverAssignor(), owned, context.header().clientId(),
                    MembershipHandlers.clientHost(context), version >= 1);
            return coordinator.consumerHeartbeat(heartbeat).thenApply(result -> {
                ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                        .setThrottleTimeMs(0).setErrorCode(result.error().code()).setErrorMessage(result.errorMessage())
                        .setMemberId(result.memberId()).setMemberEpoch(result.memberEpoch())
                        .setHeartbeatIntervalMs(result.heartbeatIntervalMs());
                if (result.assignment() != null) {
                    ConsumerGroupHeartbeatResponseData.Assignment assignment =
                            new ConsumerGroupHeartbeatResponseData.Assignment();
                    result.assignment().partitions().forEach((id, indexes) -> assignment.topicPartitions().add(
                            new ConsumerGroupHeartbeatResponseData.TopicPartitions().setTopicId(id)
                                    .setPartitions(new ArrayList<>(indexes))));
                    response.setAssignment(assignment);
                }
                return Reply.respond(ApiKeys.CONSUMER_GROUP_HEARTBEAT, version, response);
            });
        };
    }

    RequestHandler describe() {
        return context -> {
            ConsumerGroupDescribeRequestData request = ((ConsumerGroupDescribeRequest) context.request()).data();
            short version = context.apiVersion();
            List<CompletableFuture<ConsumerGroupDescription>> descriptions = new ArrayList<>();
            request.groupIds().forEach(groupId -> descriptions.add(coordinator.describeConsumerGroup(groupId)));
            return CompletableFuture.allOf(descriptions.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
                ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData().setThrottleTimeMs(0);
                for (CompletableFuture<ConsumerGroupDescription> future : descriptions) {
                    response.groups().add(describedGroup(future.join(), version));
                }
                return Reply.respond(ApiKeys.CONSUMER_GROUP_DESCRIBE, version, response);
            });
        };
    }

    private ConsumerGroupDescribeResponseData.DescribedGroup describedGroup(ConsumerGroupDescription d, short version) {
        ConsumerGroupDescribeResponseData.DescribedGroup group = new ConsumerGroupDescribeResponseData.DescribedGroup()
                .setGroupId(d.groupId()).setErrorCode(d.error().code()).setErrorMessage(d.errorMessage())
                .setGroupState(d.state()).setGroupEpoch(d.groupEpoch()).setAssignmentEpoch(d.assignmentEpoch())
                .setAssignorName(d.assignorName());
        for (ConsumerMemberDescription m : d.members()) {
            ConsumerGroupDescribeResponseData.Member member = new ConsumerGroupDescribeResponseData.Member()
                    .setMemberId(m.memberId()).setInstanceId(m.instanceId()).setRackId(m.rackId())
                    .setMemberEpoch(m.memberEpoch()).setClientId(m.clientId() == null ? "" : m.clientId())
                    .setClientHost(m.clientHost() == null ? "" : m.clientHost())
                    .setSubscribedTopicNames(new ArrayList<>(m.subscribedTopicNames()))
                    .setSubscribedTopicRegex(m.subscribedTopicRegex())
                    .setAssignment(assignment(m.assignment())).setTargetAssignment(assignment(m.target()));
            if (version >= 1) {
                member.setMemberType(CONSUMER_MEMBER_TYPE);
            }
            group.members().add(member);
        }
        return group;
    }

    private ConsumerGroupDescribeResponseData.Assignment assignment(Assignment partitions) {
        ConsumerGroupDescribeResponseData.Assignment assignment = new ConsumerGroupDescribeResponseData.Assignment();
        partitions.partitions().forEach((id, indexes) -> {
            TopicsView.Topic topic = topics.byId(id);
            if (topic != null) {
                assignment.topicPartitions().add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                        .setTopicId(id).setTopicName(topic.name()).setPartitions(new ArrayList<>(indexes)));
            }
        });
        return assignment;
    }
}
