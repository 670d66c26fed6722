package dev.stratus.broker.group;

import dev.stratus.broker.api.LiveBrokers;
import dev.stratus.broker.group.GroupMessages.JoinRequest;
import dev.stratus.broker.group.GroupMessages.JoinResult;
import dev.stratus.broker.group.GroupMessages.LeavingMember;
import dev.stratus.broker.group.GroupMessages.MemberSubscription;
import dev.stratus.broker.group.GroupMessages.Protocol;
import dev.stratus.broker.group.GroupMessages.SyncRequest;
import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.SyncGroupRequest;

/**
 * Handlers of the membership APIs: FindCoordinator (the broker leading the group's
 * {@code __consumer_offsets} partition, see {@link GroupOwnership}; other key types get
 * INVALID_REQUEST, as Kafka answers a coordinator type it does not serve), JoinGroup,
 * SyncGroup, Heartbeat, LeaveGroup. Each translates the request of its version into a
 * {@link GroupCoordinator} call and the result into the response of that version.
 *
 * <p>Stateless; runs on event loops, completes on group agent threads.
 */
final class MembershipHandlers {

    private final GroupCoordinator coordinator;
    private final int nodeId;
    private final String advertisedHost;
    private final IntSupplier advertisedPort;
    private final String rack;
    private final Supplier<MetadataImage> image;

    MembershipHandlers(GroupCoordinator coordinator, int nodeId, String advertisedHost, IntSupplier advertisedPort,
                       String rack, Supplier<MetadataImage> image) {
        this.rack = rack;
        this.image = image;
        this.coordinator = coordinator;
        this.nodeId = nodeId;
        this.advertisedHost = advertisedHost;
        this.advertisedPort = advertisedPort;
    }

    RequestHandler findCoordinator() {
        return context -> {
            FindCoordinatorRequestData request = ((FindCoordinatorRequest) context.request()).data();
            short version = context.apiVersion();
            boolean group = request.keyType() == FindCoordinatorRequest.CoordinatorType.GROUP.id();
            FindCoordinatorResponseData response = new FindCoordinatorResponseData().setThrottleTimeMs(0);
            List<String> keys = version >= 4 ? request.coordinatorKeys() : List.of(request.key());
            for (String key : keys) {
                Located located = group ? locate(key) : new Located(null, Errors.INVALID_REQUEST,
                        "coordinator key type " + request.keyType() + " is not supported by this broker");
                if (version >= 4) {
                    response.coordinators().add(new FindCoordinatorResponseData.Coordinator().setKey(key)
                            .setNodeId(located.nodeId()).setHost(located.host()).setPort(located.port())
                            .setErrorCode(located.error().code()).setErrorMessage(located.message()));
                } else {
                    response.setErrorCode(located.error().code()).setNodeId(located.nodeId()).setHost(located.host())
                            .setPort(located.port());
                    if (version >= 1) {
                        response.setErrorMessage(located.message());
                    }
                }
            }
            return done(Reply.respond(ApiKeys.FIND_COORDINATOR, version, response));
        };
    }

    /** The coordinator of a group: the broker that leads its {@code __consumer_offsets} partition. */
    private Located locate(String groupId) {
        MetadataImage current = image.get();
        int partition = GroupCoordinator.partitionFor(groupId == null ? "" : groupId, coordinator.partitionCount());
        int coordinatorId = GroupOwnership.coordinatorOf(current, partition);
        for (LiveBrokers.Endpoint broker : LiveBrokers.of(current, nodeId, advertisedHost, advertisedPort.getAsInt(), rack)) {
            if (broker.id() == coordinatorId) {
                return new Located(broker, Errors.NONE, null);
            }
        }
        return new Located(null, Errors.COORDINATOR_NOT_AVAILABLE, "the coordinator of group " + groupId
                + " (broker " + coordinatorId + ") is not available");
    }

    private record Located(LiveBrokers.Endpoint broker, Errors error, String message) {
        int nodeId() {
            return broker == null ? -1 : broker.id();
        }

        String host() {
            return broker == null ? "" : broker.host();
        }

        int port() {
            return broker == null ? -1 : broker.port();
        }
    }

    RequestHandler joinGroup() {
        return context -> {
            JoinGroupRequestData request = ((JoinGroupRequest) context.request()).data();
            short version = context.apiVersion();
            List<Protocol> protocols = new ArrayList<>();
            for (JoinGroupRequestData.JoinGroupRequestProtocol protocol : request.protocols()) {
                protocols.add(new Protocol(protocol.name(), protocol.metadata()));
            }
            int rebalanceTimeoutMs = version == 0 ? request.sessionTimeoutMs() : request.rebalanceTimeoutMs();
            JoinRequest join = new JoinRequest(request.groupId(), request.memberId(),
                    version >= 5 ? request.groupInstanceId() : null, context.header().clientId(),
                    clientHost(context), request.sessionTimeoutMs(), rebalanceTimeoutMs, request.protocolType(),
                    protocols, version >= 4);
            return coordinator.join(join).thenApply(result -> Reply.respond(ApiKeys.JOIN_GROUP, version,
                    joinResponse(result, version)));
        };
    }

    private static JoinGroupResponseData joinResponse(JoinResult result, short version) {
        JoinGroupResponseData response = new JoinGroupResponseData().setThrottleTimeMs(0)
                .setErrorCode(result.error().code()).setGenerationId(result.generationId())
                .setProtocolName(result.protocolName() == null && version < 7 ? "" : result.protocolName())
                .setLeader(result.leaderId() == null ? "" : result.leaderId())
                .setMemberId(result.memberId() == null ? "" : result.memberId());
        if (version >= 7) {
            response.setProtocolType(result.protocolType());
        }
        if (version >= 9) {
            response.setSkipAssignment(result.skipAssignment());
        }
        for (MemberSubscription member : result.members()) {
            JoinGroupResponseData.JoinGroupResponseMember m = new JoinGroupResponseData.JoinGroupResponseMember()
                    .setMemberId(member.memberId()).setMetadata(member.metadata());
            if (version >= 5) {
                m.setGroupInstanceId(member.groupInstanceId());
            }
            response.members().add(m);
        }
        return response;
    }

    RequestHandler syncGroup() {
        return context -> {
            SyncGroupRequestData request = ((SyncGroupRequest) context.request()).data();
            short version = context.apiVersion();
            Map<String, byte[]> assignments = new HashMap<>();
            for (SyncGroupRequestData.SyncGroupRequestAssignment assignment : request.assignments()) {
                assignments.put(assignment.memberId(), assignment.assignment());
            }
            SyncRequest sync = new SyncRequest(request.groupId(), request.generationId(), request.memberId(),
                    version >= 3 ? request.groupInstanceId() : null, version >= 5 ? request.protocolType() : null,
                    version >= 5 ? request.protocolName() : null, assignments);
            return coordinator.sync(sync).thenApply(result -> {
                SyncGroupResponseData response = new SyncGroupResponseData().setThrottleTimeMs(0)
                        .setErrorCode(result.error().code()).setAssignment(result.assignment());
                if (version >= 5) {
                    response.setProtocolType(result.protocolType()).setProtocolName(result.protocolName());
                }
                return Reply.respond(ApiKeys.SYNC_GROUP, version, response);
            });
        };
    }

    RequestHandler heartbeat() {
        return context -> {
            HeartbeatRequestData request = ((HeartbeatRequest) context.request()).data();
            short version = context.apiVersion();
            return coordinator.heartbeat(request.groupId(), request.generationId(), request.memberId(),
                            version >= 3 ? request.groupInstanceId() : null)
                    .thenApply(error -> Reply.respond(ApiKeys.HEARTBEAT, version,
                            new HeartbeatResponseData().setThrottleTimeMs(0).setErrorCode(error.code())));
        };
    }

    RequestHandler leaveGroup() {
        return context -> {
            LeaveGroupRequestData request = ((LeaveGroupRequest) context.request()).data();
            short version = context.apiVersion();
            List<LeavingMember> leaving = new ArrayList<>();
            if (version >= 3) {
                for (LeaveGroupRequestData.MemberIdentity member : request.members()) {
                    leaving.add(new LeavingMember(member.memberId(), member.groupInstanceId()));
                }
            } else {
                leaving.add(new LeavingMember(request.memberId(), null));
            }
            return coordinator.leave(request.groupId(), leaving).thenApply(result -> {
                LeaveGroupResponseData response = new LeaveGroupResponseData().setThrottleTimeMs(0);
                if (version >= 3) {
                    response.setErrorCode(result.error().code());
                    for (GroupMessages.MemberLeaveResult member : result.members()) {
                        response.members().add(new LeaveGroupResponseData.MemberResponse()
                                .setMemberId(member.memberId()).setGroupInstanceId(member.groupInstanceId())
                                .setErrorCode(member.error().code()));
                    }
                } else {
                    Errors error = result.error() != Errors.NONE || result.members().isEmpty() ? result.error()
                            : result.members().get(0).error();
                    response.setErrorCode(error.code());
                }
                return Reply.respond(ApiKeys.LEAVE_GROUP, version, response);
            });
        };
    }

    /** The client's address as Kafka reports it ("/127.0.0.1"). */
    static String clientHost(RequestContext context) {
        if (context.remoteAddress() instanceof java.net.InetSocketAddress address && address.getAddress() != null) {
            return address.getAddress().toString();
        }
        return String.valueOf(context.remoteAddress());
    }

    private static CompletableFuture<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
