package dev.stratus.metadata.quorum;

import dev.stratus.metadata.log.MetadataLog;
import dev.stratus.metadata.log.MetadataLogListener;
import dev.stratus.metadata.record.MetadataRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata log of a controller quorum member, replicated by Apache Ratis: a Raft server in
 * this process (log and snapshots under the settings' directory) whose state machine hands
 * committed proposals to the node's listener, and a client through which this node, while it
 * leads, proposes. A proposal carries the term it was decided in; Ratis may still append it
 * after a new leader took over, and then every member skips it (see
 * {@link MetadataStateMachine}), so a deposed leader can never commit a stale decision.
 *
 * <p>Thread-safe: proposals from the controller thread, queries on Ratis' threads.
 */
public final class RatisMetadataLog implements MetadataLog {

    private static final Logger log = LoggerFactory.getLogger(RatisMetadataLog.class);
    private static final String PRIVATE_HOST = "127.0.0.1";

    private final QuorumSettings settings;
    private final RaftGroup group;
    private volatile Function<byte[], CompletableFuture<byte[]>> requestHandler =
            request -> CompletableFuture.failedFuture(new IllegalStateException("this controller serves no requests yet"));
    private RaftServer server;
    private volatile InetSocketAddress raftAddress;
    private RaftProperties properties;
    /** The client this member proposes through; replaced after a failure, which closes an ordered client for good. */
    private volatile RaftClient proposer;

    public RatisMetadataLog(QuorumSettings settings) {
        if (settings.self() == null) {
            throw new IllegalArgumentException("node " + settings.nodeId() + " is not a voter of " + settings.voters());
        }
        this.settings = settings;
        this.group = QuorumPeers.group(settings.clusterId(), settings.voters());
    }

    /**
     * Who answers the requests other nodes send through {@link QuorumClient} once Ratis has
     * delivered them to this member (the controller's request service).
     */
    public void setRequestHandler(Function<byte[], CompletableFuture<byte[]>> handler) {
        this.requestHandler = handler;
    }

    @Override
    public void start(MetadataLogListener listener) throws IOException {
        properties = properties(settings);
        MetadataStateMachine stateMachine = new MetadataStateMachine(listener,
                message -> requestHandler.apply(message.getContent().toByteArray())
                        .thenApply(reply -> Message.valueOf(ByteString.copyFrom(reply))),
                leader -> log.info("Controller quorum: node {} now sees leader {}", settings.nodeId(),
                        QuorumPeers.nodeId(leader)));
        server = RaftServer.newBuilder()
                .setGroup(group)
                .setProperties(properties)
                .setServerId(QuorumPeers.peerId(settings.nodeId()))
                .setStateMachine(stateMachine)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        server.start();
        raftAddress = settings.privateRaftPort()
                ? new InetSocketAddress(PRIVATE_HOST, server.getServerRpc().getInetSocketAddress().getPort())
                : new InetSocketAddress(settings.self().host(), settings.self().port());
        proposer = newProposer();
        log.info("Controller quorum member {} started: voters {}, log in {}", settings.nodeId(), settings.voters(),
                settings.directory());
    }

    private RaftClient newProposer() {
        return RaftClient.newBuilder()
                .setProperties(properties)
                .setRaftGroup(group)
                .setLeaderId(QuorumPeers.peerId(settings.nodeId()))
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(3, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build();
    }

    /**
     * After a failed proposal: an ordered Ratis client that saw a request fail closes its window
     * and refuses every later request, so the next proposal goes through a new client (a
     * proposal in flight on the old one fails, and the controller decides again).
     */
    private synchronized void replaceProposer(RaftClient failed) {
        if (proposer != failed) {
            return;
        }
        proposer = newProposer();
        try {
            failed.close();
        } catch (IOException e) {
            log.debug("Closing a failed proposal client", e);
        }
    }

    @Override
    public CompletableFuture<Long> propose(long leaderEpoch, List<MetadataRecord> records) {
        Message message = Message.valueOf(ByteString.copyFrom(RecordBatchCodec.encodeProposal(leaderEpoch, records)));
        RaftClient client = proposer;
        return client.async().send(message).whenComplete((reply, error) -> {
            if (error != null || !reply.isSuccess()) {
                replaceProposer(client);
            }
        }).thenApply(reply -> {
            if (!reply.isSuccess()) {
                throw new CompletionException(new NotLeaderException("proposal at epoch " + leaderEpoch + " failed: "
                        + reply.getException()));
            }
            RecordBatchCodec.CommitReply committed = RecordBatchCodec.decodeReply(reply.getMessage().getContent().toByteArray());
            if (committed.status() != RecordBatchCodec.APPLIED) {
                throw new CompletionException(new NotLeaderException("proposal decided at epoch " + leaderEpoch
                        + " was appended in a later term and skipped"));
            }
            return committed.index();
        });
    }

    @Override
    public LeaderAndEpoch leader() {
        DivisionInfo info = division();
        if (info == null) {
            return new LeaderAndEpoch(-1, -1);
        }
        if (info.isLeader()) {
            // A leader that has not applied every earlier entry yet decides on a stale image: not yet.
            return new LeaderAndEpoch(info.isLeaderReady() ? settings.nodeId() : -1, info.getCurrentTerm());
        }
        return new LeaderAndEpoch(QuorumPeers.nodeId(info.getLeaderId()), info.getCurrentTerm());
    }

    @Override
    public int nodeId() {
        return settings.nodeId();
    }

    /**
     * Where the Raft server listens: the voter address, or with a private port the loopback
     * address its listener relays to; null before it started.
     */
    public InetSocketAddress raftAddress() {
        return raftAddress;
    }

    /** The index of the last entry this member applied, -1 before any. */
    public long appliedIndex() {
        DivisionInfo info = division();
        return info == null ? -1 : info.getLastAppliedIndex();
    }

    /** This member's Raft server (DescribeQuorum reads its view of the followers). */
    DivisionInfo division() {
        try {
            return server == null ? null : server.getDivision(group.getGroupId()).getInfo();
        } catch (IOException e) {
            return null;
        }
    }

    RaftGroup group() {
        return group;
    }

    /**
     * The quorum as this member sees it: as leader, every voter's replication (the commit index
     * it reported, when the leader last heard from it); otherwise only what it knows itself.
     */
    public QuorumStatus status(long nowMs) {
        RaftServer.Division division;
        try {
            division = server.getDivision(group.getGroupId());
        } catch (IOException e) {
            return new QuorumStatus(-1, -1, -1, List.of());
        }
        DivisionInfo info = division.getInfo();
        long highWatermark = division.getRaftLog().getLastCommittedIndex();
        Map<Integer, Long> reached = new HashMap<>();
        for (CommitInfoProto commit : division.getCommitInfos()) {
            reached.put(QuorumPeers.nodeId(RaftPeerId.valueOf(commit.getServer().getId())), commit.getCommitIndex());
        }
        Map<Integer, Long> heardMsAgo = new HashMap<>();
        if (info.isLeader() && info.getRoleInfoProto().hasLeaderInfo()) {
            for (ServerRpcProto follower : info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList()) {
                heardMsAgo.put(QuorumPeers.nodeId(RaftPeerId.valueOf(follower.getId().getId())), follower.getLastRpcElapsedTimeMs());
            }
        }
        List<QuorumStatus.Replica> voters = new ArrayList<>();
        for (QuorumVoter voter : settings.voters()) {
            long end = reached.getOrDefault(voter.id(), -1L);
            long fetchMs = voter.id() == settings.nodeId() ? nowMs
                    : heardMsAgo.containsKey(voter.id()) ? nowMs - heardMsAgo.get(voter.id()) : -1;
            long caughtUpMs = end >= highWatermark && fetchMs >= 0 ? fetchMs : -1;
            voters.add(new QuorumStatus.Replica(voter.id(), end, fetchMs, caughtUpMs));
        }
        int leaderId = info.isLeader() ? settings.nodeId() : QuorumPeers.nodeId(info.getLeaderId());
        return new QuorumStatus(leaderId, info.getCurrentTerm(), highWatermark, voters);
    }

    @Override
    public void close() {
        try {
            if (proposer != null) {
                proposer.close();
            }
        } catch (IOException e) {
            log.warn("Closing the proposal client failed", e);
        }
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            log.warn("Closing the quorum member failed", e);
        }
    }

    /** Ratis settings from ours; shared by servers and clients of the same quorum. */
    static RaftProperties properties(QuorumSettings settings) {
        RaftProperties properties = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(properties, List.of(settings.directory().toFile()));
        QuorumVoter self = settings.self();
        if (self != null && settings.privateRaftPort()) {
            GrpcConfigKeys.Server.setHost(properties, PRIVATE_HOST);
            GrpcConfigKeys.Server.setPort(properties, 0);
        } else if (self != null) {
            GrpcConfigKeys.Server.setHost(properties, self.host());
            GrpcConfigKeys.Server.setPort(properties, self.port());
        }
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(settings.electionTimeoutMinMs(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(settings.electionTimeoutMaxMs(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, settings.snapshotThresholdEntries());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        // Purge as soon as a snapshot covers the entries: a member that missed them installs the snapshot instead.
        RaftServerConfigKeys.Log.setPurgeGap(properties, (int) Math.min(1024, settings.snapshotThresholdEntries()));
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(settings.logSegmentBytes()));
        // Reads (metadata fetches) are linearizable: the serving member confirms the leader's commit
        // index first, so a deposed leader that has not heard of its successor yet answers nothing stale.
        RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        // A leader that a majority acknowledged within 90% of the minimum election timeout serves
        // reads without another round of heartbeats: no follower can have elected a successor yet.
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(properties, true);
        RaftServerConfigKeys.Read.setTimeout(properties, TimeDuration.valueOf(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS));
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS));
        return properties;
    }

}
