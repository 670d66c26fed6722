package dev.stratus.metadata.quorum;

import dev.stratus.metadata.log.MetadataLogListener;
import dev.stratus.metadata.record.MetadataRecord;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of the metadata log: each committed entry is a proposal (records plus
 * the leader term they were decided in), handed to the node's {@link MetadataLogListener} with
 * the entry's index as its offset, unless Ratis appended it in another term than the one it was
 * decided in: such an entry came from a leader that lost its leadership while the proposal was
 * on its way, and every member skips it alike (fencing by term). Snapshots are the listener's
 * state written out as records, so a restarted or far-behind member starts from the newest
 * snapshot and replays only the log after it.
 *
 * <p>Thread: Ratis applies entries and takes snapshots on its state machine updater thread,
 * one at a time; queries come on Ratis' server threads and go to the query handler.
 */
final class MetadataStateMachine extends BaseStateMachine {

    private static final Logger log = LoggerFactory.getLogger(MetadataStateMachine.class);
    private static final int SNAPSHOT_MAGIC = 0x53544d53; // "STMS"
    private static final int SNAPSHOT_VERSION = 0;

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final MetadataLogListener listener;
    private final Function<Message, CompletableFuture<Message>> queries;
    private final Consumer<RaftPeerId> leaderChanges;

    /**
     * @param queries       answers read-only client messages (controller requests, metadata fetches) on the leader
     * @param leaderChanges told of each new leader (null while none is known)
     */
    MetadataStateMachine(MetadataLogListener listener, Function<Message, CompletableFuture<Message>> queries,
                         Consumer<RaftPeerId> leaderChanges) {
        this.listener = listener;
        this.queries = queries;
        this.leaderChanges = leaderChanges;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        loadLatestSnapshot();
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    /** Ratis pauses the state machine before it installs a snapshot from the leader. */
    @Override
    public synchronized void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public synchronized void reinitialize() throws IOException {
        // After a snapshot was installed from the leader: everything before it is replaced.
        loadLatestSnapshot();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        TermIndex termIndex = TermIndex.valueOf(entry);
        byte status;
        try {
            RecordBatchCodec.Proposal proposal = RecordBatchCodec.decodeProposal(
                    entry.getStateMachineLogEntry().getLogData().newInput());
            if (proposal.expectedTerm() == entry.getTerm()) {
                listener.onCommit(entry.getIndex(), proposal.records());
                status = RecordBatchCodec.APPLIED;
            } else {
                log.info("Skipping metadata entry {}: decided in term {} by a leader that lost its leadership", termIndex,
                        proposal.expectedTerm());
                status = RecordBatchCodec.FENCED;
            }
        } catch (IOException e) {
            // Every member reads the same bytes: an entry this version cannot read stops this member rather than diverge.
            updateLastAppliedTermIndex(termIndex);
            return CompletableFuture.failedFuture(new IOException("metadata entry " + termIndex + " cannot be read", e));
        }
        updateLastAppliedTermIndex(termIndex);
        return CompletableFuture.completedFuture(
                Message.valueOf(ByteString.copyFrom(RecordBatchCodec.encodeReply(status, entry.getIndex()))));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        return queries.apply(request);
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex applied = getLastAppliedTermIndex();
        if (applied == null || applied.getIndex() < 0) {
            return -1;
        }
        List<MetadataRecord> records = listener.snapshot();
        File file = storage.getSnapshotFile(applied.getTerm(), applied.getIndex());
        Path temp = file.toPath().resolveSibling(file.getName() + ".tmp");
        try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(temp));
             DataOutputStream out = new DataOutputStream(stream)) {
            out.writeInt(SNAPSHOT_MAGIC);
            out.writeInt(SNAPSHOT_VERSION);
            out.writeLong(applied.getIndex());
            RecordBatchCodec.writeRecords(out, records);
        }
        Files.move(temp, file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), applied));
        log.info("Metadata snapshot at {}: {} records, {} bytes", applied, records.size(), Files.size(file.toPath()));
        return applied.getIndex();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        leaderChanges.accept(newLeaderId);
    }

    private void loadLatestSnapshot() throws IOException {
        SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
        if (snapshot == null) {
            return;
        }
        Path path = snapshot.getFile().getPath();
        if (snapshot.getFile().getFileDigest() != null) {
            MD5FileUtil.verifySavedMD5(path.toFile(), snapshot.getFile().getFileDigest());
        }
        List<MetadataRecord> records;
        try (InputStream stream = new BufferedInputStream(Files.newInputStream(path));
             DataInputStream in = new DataInputStream(stream)) {
            if (in.readInt() != SNAPSHOT_MAGIC) {
                throw new IOException("metadata snapshot " + path + " has a bad magic number");
            }
            int version = in.readInt();
            if (version != SNAPSHOT_VERSION) {
                throw new IOException("metadata snapshot " + path + " has version " + version + ", this version reads "
                        + SNAPSHOT_VERSION);
            }
            in.readLong();
            records = RecordBatchCodec.readRecords(in);
        }
        TermIndex termIndex = snapshot.getTermIndex();
        listener.onSnapshot(termIndex.getIndex(), records);
        setLastAppliedTermIndex(termIndex);
        log.info("Metadata loaded from snapshot {} ({} records)", termIndex, records.size());
    }
}
