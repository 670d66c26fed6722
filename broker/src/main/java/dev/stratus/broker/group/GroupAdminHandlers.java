package dev.stratus.broker.group;

import dev.stratus.broker.group.GroupMessages.GroupDescription;
import dev.stratus.broker.group.GroupMessages.GroupListing;
import dev.stratus.broker.group.GroupMessages.MemberDescription;
import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.ListGroupsRequest;

/**
 * Handlers of the group administration APIs: DescribeGroups (an unknown group is "Dead" with no
 * error up to v5 and GROUP_ID_NOT_FOUND from v6, as Kafka), ListGroups (state filter from v4,
 * type filter from v5: "classic" or "consumer" for KIP-848 groups), DeleteGroups.
 *
 * <p>Stateless; runs on event loops, completes on group agent threads.
 */
final class GroupAdminHandlers {

    static final String CLASSIC_TYPE = "classic";
    static final String CONSUMER_TYPE = "consumer";

    private final GroupCoordinator coordinator;

    GroupAdminHandlers(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    RequestHandler describeGroups() {
        return context -> {
            DescribeGroupsRequestData request = ((DescribeGroupsRequest) context.request()).data();
            short version = context.apiVersion();
            List<CompletableFuture<GroupDescription>> descriptions = new ArrayList<>();
            request.groups().forEach(groupId -> descriptions.add(coordinator.describe(groupId)));
            return CompletableFuture.allOf(descriptions.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
                DescribeGroupsResponseData response = new DescribeGroupsResponseData().setThrottleTimeMs(0);
                for (CompletableFuture<GroupDescription> future : descriptions) {
                    response.groups().add(describedGroup(future.join(), version));
                }
                return Reply.respond(ApiKeys.DESCRIBE_GROUPS, version, response);
            });
        };
    }

    private static DescribeGroupsResponseData.DescribedGroup describedGroup(GroupDescription d, short version) {
        Errors error = d.error() == Errors.GROUP_ID_NOT_FOUND && version < 6 ? Errors.NONE : d.error();
        DescribeGroupsResponseData.DescribedGroup group = new DescribeGroupsResponseData.DescribedGroup()
                .setGroupId(d.groupId()).setErrorCode(error.code()).setGroupState(d.state())
                .setProtocolType(d.protocolType()).setProtocolData(d.protocolData());
        if (version >= 6 && error != Errors.NONE) {
            group.setErrorMessage(error == Errors.GROUP_ID_NOT_FOUND ? "Group " + d.groupId() + " not found." : error.message());
        }
        for (MemberDescription m : d.members()) {
            DescribeGroupsResponseData.DescribedGroupMember member = new DescribeGroupsResponseData.DescribedGroupMember()
                    .setMemberId(m.memberId()).setClientId(m.clientId()).setClientHost(m.clientHost())
                    .setMemberMetadata(m.metadata()).setMemberAssignment(m.assignment());
            if (version >= 4) {
                member.setGroupInstanceId(m.groupInstanceId());
            }
            group.members().add(member);
        }
        return group;
    }

    RequestHandler listGroups() {
        return context -> {
            ListGroupsRequestData request = ((ListGroupsRequest) context.request()).data();
            short version = context.apiVersion();
            Set<String> states = version >= 4 ? lower(request.statesFilter()) : Set.of();
            Set<String> types = version >= 5 ? lower(request.typesFilter()) : Set.of();
            return coordinator.list().thenApply(result -> {
                ListGroupsResponseData response = new ListGroupsResponseData().setThrottleTimeMs(0)
                        .setErrorCode(result.error().code());
                for (GroupListing listing : result.groups()) {
                    boolean typeMatches = types.isEmpty() || types.contains(listing.type());
                    if (!typeMatches || !states.isEmpty() && !states.contains(listing.state().toLowerCase(Locale.ROOT))) {
                        continue;
                    }
                    ListGroupsResponseData.ListedGroup listed = new ListGroupsResponseData.ListedGroup()
                            .setGroupId(listing.groupId()).setProtocolType(listing.protocolType());
                    if (version >= 4) {
                        listed.setGroupState(listing.state());
                    }
                    if (version >= 5) {
                        listed.setGroupType(listing.type());
                    }
                    response.groups().add(listed);
                }
                return Reply.respond(ApiKeys.LIST_GROUPS, version, response);
            });
        };
    }

    private static Set<String> lower(List<String> values) {
        return values == null ? Set.of() : values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    RequestHandler deleteGroups() {
        return context -> {
            DeleteGroupsRequestData request = ((DeleteGroupsRequest) context.request()).data();
            short version = context.apiVersion();
            List<String> ids = List.copyOf(request.groupsNames());
            List<CompletableFuture<Errors>> results = new ArrayList<>();
            ids.forEach(id -> results.add(coordinator.delete(id)));
            return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
                DeleteGroupsResponseData response = new DeleteGroupsResponseData().setThrottleTimeMs(0);
                for (int i = 0; i < ids.size(); i++) {
                    response.results().add(new DeleteGroupsResponseData.DeletableGroupResult()
                            .setGroupId(ids.get(i)).setErrorCode(results.get(i).join().code()));
                }
                return Reply.respond(ApiKeys.DELETE_GROUPS, version, response);
            });
        };
    }
}
