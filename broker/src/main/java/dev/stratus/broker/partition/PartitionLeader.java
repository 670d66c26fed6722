package dev.stratus.broker.partition;

import dev.stratus.broker.config.LogConfig;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.stream.StreamStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader of one partition on this broker: owns the partition's stream and its producer
 * state, and runs the append path: validate, check producer sequence, assign the offset by
 * rewriting the batch header (base offset and partition leader epoch; the CRC covers neither),
 * append, and answer once the stream says durable.
 *
 * <p>States: OPENING (stream being opened and producer state rebuilt from its tail, see
 * {@link ProducerStateLoader}; appends wait in order, at most {@link #MAX_PARKED}), ACTIVE,
 * RECOVERING (an append failed because storage was unavailable: the stream is being reopened
 * with the same leader epoch; appends wait as in OPENING), SUSPENDED (that reopen failed; the
 * next append tries again), HANDING_OVER (the partition is being moved: appends wait, in-flight
 * ones finish, the checkpoint is written and the streams closed, which commits their data),
 * HANDED_OVER (closed for the move; appends still wait, until the controller names the new
 * leader and they are answered NOT_LEADER_OR_FOLLOWER with it, so a producer goes straight
 * there), FAILED (the open failed, or an append failed for a reason a retry cannot fix, such as
 * fencing; appends get the failure until the controller moves or re-opens the partition),
 * CLOSED (topic deleted or partition moved).
 *
 * <p>Back-pressure and recovery: when the WAL stays full (object storage down, uploads
 * failing), the storage lets an append wait up to its append timeout, then fails it and every
 * append behind it with the retriable {@code STORAGE_UNAVAILABLE}, which producers receive as
 * {@code KAFKA_STORAGE_ERROR} (a {@code RetriableException}: Kafka producers retry it, and
 * refresh metadata, until {@code delivery.timeout.ms}). The stream then refuses appends so that
 * offsets never have holes. Recovery belongs here rather than in the storage stream, because
 * the partition holds state derived from the failed appends (offsets it assigned, producer
 * sequences it recorded): reopening the stream (the same epoch is allowed) resumes at the last
 * acknowledged offset, and reloading the producer state from the stream's tail forgets the
 * failed batches, so a producer's retries are accepted and duplicates of acknowledged batches
 * still answered with their original offsets. Nothing acknowledged is touched: reads go on
 * from the old stream while the new one opens. Recovery needs no timer: it starts at once
 * after the failure, and after a failed reopen the next produce request (a producer's retry)
 * starts it again.
 *
 * <p>Topic configs ({@link LogConfig}) apply to the append path: {@code max.message.bytes},
 * {@code segment.bytes} (RECORD_LIST_TOO_LARGE), timestamp bounds for CreateTime (INVALID_TIMESTAMP,
 * checked on the batch header's first and max timestamps), and LogAppendTime, which rewrites the
 * header's max timestamp and timestamp type and recomputes the CRC (records stay as sent).
 * Retention and DeleteRecords trim the stream; a {@link BatchIndex} (extended on every append)
 * says where.
 *
 * <p>Checkpoints: a partition with a checkpoint stream writes a {@link PartitionCheckpoint}
 * (producer state, leader epochs, batch index, all as of a durable offset) to it every
 * {@code checkpointIntervalBytes} appended and when it closes, and keeps only the newest. The
 * next leader reads that one and scans only the data after it before it serves, so opening
 * takes a time bounded by the interval, not by the partition's size. Without a checkpoint
 * (none written yet, or a partition from before checkpoints) the leader rebuilds producer state
 * from the last {@link ProducerStateLoader#TAIL_OFFSETS} offsets and scans the whole partition
 * for its index and epochs in the background ({@link LogScanner}).
 *
 * <p>Thread: the append path and every state change run on the partition's agent (one thread).
 * Readers (Fetch, ListOffsets) may call {@link #stream()}, {@link #readError()} and the confirm
 * waiter methods from any thread.
 */
public final class PartitionLeader {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLeader.class);

    enum State { OPENING, ACTIVE, RECOVERING, SUSPENDED, HANDING_OVER, HANDED_OVER, FAILED, CLOSED }

    /** Appends that may wait while the stream opens or reopens; more are answered with a retriable error at once. */
    static final int MAX_PARKED = 1024;
    /** Bytes appended between two checkpoints unless configured: what a new leader reads at most before it serves. */
    public static final long DEFAULT_CHECKPOINT_INTERVAL_BYTES = 8L << 20;
    /** How much a checkpoint fetch may read: one checkpoint. */
    private static final int CHECKPOINT_READ_BYTES = PartitionCheckpointFormat.MAX_BYTES + 4096;

    private record ParkedAppend(MemoryRecords records, short produceVersion, CompletableFuture<AppendResult> result) {
    }

    private final PartitionKey key;
    private final PartitionTraffic traffic = new PartitionTraffic();
    private final String topic;
    private final long streamId;
    private final int leaderEpoch;
    private final int messageMaxBytes;
    private final Executor agent;
    private final StreamStore store;
    private final Clock clock;
    private final long checkpointStreamId;
    private final long checkpointIntervalBytes;
    private volatile LogConfig logConfig;

    /** The partition's two streams as opened together (no checkpoint stream: null). */
    private record OpenedStreams(Stream data, Stream checkpoints) {
    }

    // Owned by the agent thread.
    private ProducerStateTable producers = new ProducerStateTable();
    private final ArrayDeque<ParkedAppend> parked = new ArrayDeque<>();
    private CompletableFuture<?> lastAppend = CompletableFuture.completedFuture(null);
    private BatchIndex index = new BatchIndex();
    private LeaderEpochHistory epochs = new LeaderEpochHistory();
    /** The index covers the whole stream (the open scan finished). */
    private boolean indexComplete;
    /** The checkpoint stream while open; null without one. */
    private Stream checkpoints;
    private CompletableFuture<Void> checkpointWrite = CompletableFuture.completedFuture(null);
    private long bytesSinceCheckpoint;
    /** Set once the partition is to be handed over; completes when it was. */
    private volatile CompletableFuture<Void> handOver;

    // Written by the agent thread, read by any.
    private volatile State state = State.OPENING;
    private volatile Stream stream;
    private volatile Errors failure = Errors.NONE;
    private final Set<Runnable> confirmWaiters = ConcurrentHashMap.newKeySet();

    public PartitionLeader(PartitionKey key, String topic, long streamId, int leaderEpoch, int messageMaxBytes,
                           Executor agent, StreamStore store) {
        this(key, topic, streamId, leaderEpoch, messageMaxBytes, LogConfig.DEFAULT, Clock.systemUTC(), agent, store,
                -1, DEFAULT_CHECKPOINT_INTERVAL_BYTES);
    }

    /**
     * @param messageMaxBytes         the broker's {@code message.max.bytes}, which bounds storage records:
     *                                a topic's {@code max.message.bytes} cannot raise it
     * @param checkpointStreamId      the stream holding the partition's checkpoints, -1 for none
     * @param checkpointIntervalBytes bytes appended between two checkpoints
     */
    public PartitionLeader(PartitionKey key, String topic, long streamId, int leaderEpoch, int messageMaxBytes,
                           LogConfig logConfig, Clock clock, Executor agent, StreamStore store, long checkpointStreamId,
                           long checkpointIntervalBytes) {
        if (checkpointIntervalBytes <= 0) {
            throw new IllegalArgumentException("checkpoint interval must be positive: " + checkpointIntervalBytes);
        }
        this.checkpointStreamId = checkpointStreamId;
        this.checkpointIntervalBytes = checkpointIntervalBytes;
        this.logConfig = logConfig;
        this.clock = clock;
        this.key = key;
        this.topic = topic;
        this.streamId = streamId;
        this.leaderEpoch = leaderEpoch;
        this.messageMaxBytes = messageMaxBytes;
        this.agent = agent;
        this.store = store;
    }

    /** Bytes produced to and fetched from this partition since it opened here. */
    public PartitionTraffic traffic() {
        return traffic;
    }

    public PartitionKey key() {
        return key;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return key.partition();
    }

    public long streamId() {
        return streamId;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    /** The stream to read, or null unless ACTIVE, RECOVERING or SUSPENDED (reads need no working appends). */
    public Stream stream() {
        State current = state;
        return current == State.ACTIVE || current == State.RECOVERING || current == State.SUSPENDED
                || current == State.HANDING_OVER ? stream : null;
    }

    /** The error a reader gets when {@link #stream()} is null. */
    public Errors readError() {
        return switch (state) {
            case ACTIVE, RECOVERING, SUSPENDED, HANDING_OVER -> Errors.NONE;
            case OPENING, HANDED_OVER -> Errors.NOT_LEADER_OR_FOLLOWER;
            case FAILED, CLOSED -> failure;
        };
    }

    State state() {
        return state;
    }

    /** Opens the streams with the leader epoch, fencing any earlier owner. */
    void open() {
        agent.execute(() -> openStreams().whenComplete((opened, error) -> agent.execute(() -> onOpened(opened, error))));
    }

    /**
     * Opens the data stream and, if the partition has one, the checkpoint stream, at once. A
     * checkpoint stream that cannot be opened leaves the partition without checkpoints for this
     * leadership (it still serves); a data stream that cannot be opened fails the open.
     */
    private CompletableFuture<OpenedStreams> openStreams() {
        CompletableFuture<Stream> data = store.openStream(streamId, leaderEpoch);
        CompletableFuture<Stream> checkpoint = checkpointStreamId < 0 ? CompletableFuture.completedFuture(null)
                : store.openStream(checkpointStreamId, leaderEpoch).exceptionally(error -> {
                    LOG.warn("Partition {}-{}: cannot open checkpoint stream {} at epoch {}; serving without checkpoints",
                            topic, key.partition(), checkpointStreamId, leaderEpoch, error);
                    return null;
                });
        return CompletableFuture.allOf(data, checkpoint).handle((ignored, error) -> {
            Stream openedCheckpoint = checkpoint.join();
            if (error != null) {
                if (openedCheckpoint != null) {
                    openedCheckpoint.close();
                }
                throw new CompletionException(StreamErrors.unwrap(error));
            }
            return new OpenedStreams(data.join(), openedCheckpoint);
        });
    }

    /** On the agent: the stream could not take an append because storage was unavailable; reopen it. */
    private void startRecovery(String why) {
        state = State.RECOVERING;
        LOG.warn("Partition {}-{}: {}; reopening stream {} at epoch {}", topic, key.partition(), why, streamId, leaderEpoch);
        // The engine lets the failed stream's appends in flight finish (all fail) before the new opening starts.
        openStreams().whenComplete((opened, error) -> agent.execute(() -> onOpened(opened, error)));
    }

    private void onOpened(OpenedStreams opened, Throwable error) {
        if (state == State.CLOSED) {
            if (opened != null) {
                closeStreams(opened.data(), opened.checkpoints());
            }
            return;
        }
        if (error != null) {
            openFailed(StreamErrors.toKafka(error), "cannot open stream " + streamId + " at epoch " + leaderEpoch, error);
            return;
        }
        Stream data = opened.data();
        readCheckpoint(opened).thenCompose(checkpoint -> checkpoint == null
                ? ProducerStateLoader.load(data, agent).thenApply(batches -> (Runnable) () -> activateWithoutCheckpoint(opened, batches))
                : LogScanner.scan(data, Math.max(checkpoint.endOffset(), data.startOffset()), data.nextOffset(), agent)
                        .thenApply(tail -> (Runnable) () -> activateFromCheckpoint(opened, checkpoint, tail)))
                .whenComplete((activation, loadError) -> agent.execute(() -> {
                    if (state == State.CLOSED) {
                        closeStreams(data, opened.checkpoints());
                        return;
                    }
                    if (loadError != null) {
                        openFailed(StreamErrors.toKafka(loadError), "cannot rebuild the state of stream " + streamId, loadError);
                        return;
                    }
                    activation.run();
                }));
    }

    /**
     * The newest checkpoint of the partition, or null when there is none or it cannot be used
     * (unreadable, corrupt, or describing more than the data stream holds): the leader then
     * rebuilds the state from the data.
     */
    private CompletableFuture<PartitionCheckpoint> readCheckpoint(OpenedStreams opened) {
        Stream checkpoint = opened.checkpoints();
        if (checkpoint == null || checkpoint.nextOffset() <= checkpoint.startOffset()) {
            return CompletableFuture.completedFuture(null);
        }
        long last = checkpoint.nextOffset() - 1;
        return checkpoint.fetch(last, checkpoint.nextOffset(), CHECKPOINT_READ_BYTES).handle((result, error) -> {
            if (error != null) {
                LOG.warn("Partition {}-{}: cannot read checkpoint {} of stream {}; rebuilding from the data", topic,
                        key.partition(), last, checkpointStreamId, StreamErrors.unwrap(error));
                return null;
            }
            for (StreamRecordBatch stored : result.batches()) {
                if (stored.baseOffset() != last) {
                    continue;
                }
                try {
                    PartitionCheckpoint decoded = PartitionCheckpointFormat.decode(stored.payloadView());
                    if (decoded.endOffset() > opened.data().nextOffset()) {
                        LOG.warn("Partition {}-{}: checkpoint ends at {}, after the data's end {}; rebuilding from the data",
                                topic, key.partition(), decoded.endOffset(), opened.data().nextOffset());
                        return null;
                    }
                    return decoded;
                } catch (IllegalArgumentException e) {
                    LOG.warn("Partition {}-{}: checkpoint {} of stream {} is unusable ({}); rebuilding from the data", topic,
                            key.partition(), last, checkpointStreamId, e.getMessage());
                    return null;
                }
            }
            return null;
        });
    }

    /** On the agent: state from the checkpoint and the data after it; the index is whole at once. */
    private void activateFromCheckpoint(OpenedStreams opened, PartitionCheckpoint checkpoint, LogScanner.Scan tail) {
        Stream data = opened.data();
        producers = new ProducerStateTable();
        producers.restore(checkpoint.producers());
        for (ProducerStateLoader.ProducerBatch batch : tail.producers()) {
            restore(batch);
        }
        BatchIndex restored = tail.index();
        restored.prepend(BatchIndex.of(checkpoint.index()));
        restored.trimTo(data.startOffset());
        epochs = new LeaderEpochHistory();
        epochs.prepend(checkpoint.epochs());
        for (LeaderEpochHistory.Entry entry : tail.epochs()) {
            epochs.assign(entry.epoch(), entry.startOffset());
        }
        epochs.assign(leaderEpoch, data.nextOffset());
        index = restored;
        indexComplete = true;
        activate(opened, "from its checkpoint at " + checkpoint.endOffset());
    }

    /** On the agent: producer state from the stream's tail; the index and epochs from a scan of everything, in the background. */
    private void activateWithoutCheckpoint(OpenedStreams opened, List<ProducerStateLoader.ProducerBatch> batches) {
        producers = new ProducerStateTable();
        for (ProducerStateLoader.ProducerBatch batch : batches) {
            restore(batch);
        }
        index = new BatchIndex();
        epochs = new LeaderEpochHistory();
        epochs.assign(leaderEpoch, opened.data().nextOffset());
        indexComplete = false;
        scanLog(opened.data());
        activate(opened, opened.checkpoints() == null ? "without checkpoints" : "with no checkpoint yet");
    }

    private void restore(ProducerStateLoader.ProducerBatch batch) {
        producers.record(batch.producerId(), batch.epoch(), new ProducerStateTable.BatchEntry(batch.firstSequence(),
                batch.lastSequence(), batch.baseOffset(), batch.lastOffset(), CompletableFuture.completedFuture(batch.baseOffset())),
                batch.maxTimestamp());
    }

    /** True once {@link #handOver} was asked for. */
    boolean handingOver() {
        return handOver != null;
    }

    /**
     * Closes the partition for its move: appends wait from now on, in-flight ones finish, the
     * checkpoint of everything is written and both streams are closed (which commits their data
     * to object storage). Completes when that is done, after which the new leader may open the
     * partition; fails when the partition cannot be handed over (it failed, or was closed). A
     * partition still opening hands over once open. Any thread; idempotent.
     */
    CompletableFuture<Void> handOver() {
        CompletableFuture<Void> started = new CompletableFuture<>();
        agent.execute(() -> {
            if (handOver == null) {
                handOver = started;
                if (state == State.ACTIVE) {
                    startHandOver();
                } else if (state != State.OPENING && state != State.RECOVERING) {
                    handOver.completeExceptionally(new IllegalStateException("partition " + topic + "-" + key.partition()
                            + " is " + state + " and cannot be handed over"));
                }
            }
            handOver.whenComplete((r, e) -> {
                if (e != null) {
                    started.completeExceptionally(e);
                } else {
                    started.complete(null);
                }
            });
        });
        return started;
    }

    /** On the agent, from ACTIVE: stop appends, finish in-flight ones, checkpoint, close. */
    private void startHandOver() {
        state = State.HANDING_OVER;
        Stream current = stream;
        Stream checkpoint = checkpoints;
        CompletableFuture<Void> done = handOver;
        LOG.info("Handing {}-{} over (stream {}, epoch {}, offsets [{}, {}))", topic, key.partition(), streamId, leaderEpoch,
                current.startOffset(), current.nextOffset());
        finishAndClose(current, checkpoint, true)
                .whenComplete((r, e) -> agent.execute(() -> {
                    if (e != null) {
                        LOG.warn("Partition {}-{}: closing for the move failed", topic, key.partition(), e);
                        done.completeExceptionally(e);
                        return;
                    }
                    if (state == State.HANDING_OVER) {
                        state = State.HANDED_OVER;
                    }
                    wakeConfirmWaiters();
                    LOG.info("Handed {}-{} over at offset {}", topic, key.partition(), current.nextOffset());
                    done.complete(null);
                }));
    }

    private void activate(OpenedStreams opened, String how) {
        Stream data = opened.data();
        lastAppend = CompletableFuture.completedFuture(null);
        stream = data;
        checkpoints = opened.checkpoints();
        checkpointWrite = CompletableFuture.completedFuture(null);
        bytesSinceCheckpoint = 0;
        data.onConfirm((id, confirmedOffset) -> wakeConfirmWaiters());
        state = State.ACTIVE;
        LOG.info("Leading {}-{} (stream {}, epoch {}, offsets [{}, {}), {} producer(s) restored, {})", topic,
                key.partition(), streamId, leaderEpoch, data.startOffset(), data.nextOffset(), producers.size(), how);
        if (handOver != null && !handOver.isDone()) {
            startHandOver();
            return;
        }
        runParked();
    }

    /**
     * On the agent: writes a checkpoint of the state as of the durable data (the end of the
     * longest run of whole index entries below the confirmed offset), then trims the
     * checkpoint stream so that only it remains. One write at a time; completes when written
     * (or failed, which is only logged: the next leader then reads an older checkpoint, or the data).
     */
    private CompletableFuture<Void> writeCheckpoint() {
        Stream data = stream;
        Stream target = checkpoints;
        if (target == null || data == null || !indexComplete || !checkpointWrite.isDone()) {
            return checkpointWrite;
        }
        long end = index.wholeEntriesEnd(data.confirmedOffset(), data.startOffset());
        List<LeaderEpochHistory.Entry> epochsBelow = epochs.entries().stream().filter(e -> e.startOffset() <= end).toList();
        PartitionCheckpoint checkpoint = new PartitionCheckpoint(end, clock.millis(), epochsBelow, producers.checkpoint(end),
                index.entriesBelow(end));
        ByteBuffer payload = PartitionCheckpointFormat.encode(checkpoint);
        long offset = target.nextOffset();
        bytesSinceCheckpoint = 0;
        CompletableFuture<Long> appended;
        try {
            appended = target.append(new StreamRecordBatch(checkpointStreamId, target.epoch(), offset, 1, payload));
        } catch (RuntimeException e) {
            appended = CompletableFuture.failedFuture(e);
        }
        checkpointWrite = appended.thenCompose(ignored -> target.trim(offset)).handle((ignored, error) -> {
            if (error != null) {
                LOG.warn("Partition {}-{}: writing a checkpoint at {} failed: {}", topic, key.partition(), end,
                        StreamErrors.unwrap(error).toString());
            } else {
                LOG.debug("Partition {}-{}: checkpoint at {} ({} bytes)", topic, key.partition(), end, payload.remaining());
            }
            return null;
        });
        return checkpointWrite;
    }

    /**
     * Lets the appends in flight finish, then (with {@code checkpoint}) writes a checkpoint of
     * everything once any write in progress is done, then closes both streams, which commits
     * their WAL data. What a hand-over and a close share.
     */
    private CompletableFuture<Void> finishAndClose(Stream data, Stream checkpointStream, boolean checkpoint) {
        return lastAppend.handle((r, e) -> null)
                .thenComposeAsync(ignored -> checkpoint
                        ? checkpointWrite.thenComposeAsync(written -> writeCheckpoint(), agent)
                        : CompletableFuture.<Void>completedFuture(null), agent)
                .thenCompose(ignored -> checkpointStream == null ? data.close()
                        : CompletableFuture.allOf(data.close(), checkpointStream.close()));
    }

    private void closeStreams(Stream data, Stream checkpoint) {
        data.close();
        if (checkpoint != null) {
            checkpoint.close();
        }
    }

    /** On the agent: an open or reopen failed. A reopen that may work later suspends the partition; anything else fails it. */
    private void openFailed(Errors code, String what, Throwable error) {
        if (state == State.RECOVERING && StreamErrors.retriable(error)) {
            failure = code;
            state = State.SUSPENDED;
            LOG.warn("Partition {}-{} suspended ({}): {}; the next produce request retries", topic, key.partition(), code,
                    what, error);
            failParked(code);
            return;
        }
        fail(code, what, error);
        runParked();
    }

    private void runParked() {
        while (!parked.isEmpty()) {
            ParkedAppend append = parked.pollFirst();
            doAppend(append.records(), append.produceVersion(), append.result());
        }
    }

    private void failParked(Errors code) {
        while (!parked.isEmpty()) {
            parked.pollFirst().result().complete(AppendResult.failure(code, "storage unavailable, retry"));
        }
    }

    /**
     * Appends the partition's records from a Produce request. Completes (on a storage or agent
     * thread) once durable, with the assigned base offset or the error as a value.
     */
    public CompletableFuture<AppendResult> append(MemoryRecords records, short produceVersion) {
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        agent.execute(() -> {
            if (state == State.SUSPENDED) {
                startRecovery("a produce request arrived while suspended");
            }
            if (state == State.OPENING || state == State.RECOVERING || state == State.HANDING_OVER
                    || state == State.HANDED_OVER) {
                if (parked.size() >= MAX_PARKED) {
                    result.complete(AppendResult.failure(state == State.RECOVERING ? failure : Errors.NOT_LEADER_OR_FOLLOWER,
                            "too many produce requests waiting for the partition to open or move"));
                } else {
                    parked.addLast(new ParkedAppend(records, produceVersion, result));
                }
            } else {
                doAppend(records, produceVersion, result);
            }
        });
        return result;
    }

    private void doAppend(MemoryRecords records, short produceVersion, CompletableFuture<AppendResult> result) {
        if (state != State.ACTIVE) {
            result.complete(AppendResult.failure(readError(), null));
            return;
        }
        LogConfig config = logConfig;
        int maxBatchBytes = Math.min(config.maxMessageBytes(), messageMaxBytes);
        BatchValidator.Validation validation = BatchValidator.validate(records, maxBatchBytes, produceVersion);
        if (!validation.valid()) {
            result.complete(AppendResult.failure(validation.error(), validation.message()));
            return;
        }
        MutableRecordBatch batch = validation.batch();
        if (batch.sizeInBytes() > config.segmentBytes()) {
            result.complete(AppendResult.failure(Errors.RECORD_LIST_TOO_LARGE, "Record batch of " + batch.sizeInBytes()
                    + " bytes exceeds the topic's segment.bytes " + config.segmentBytes()));
            return;
        }
        long nowMs = clock.millis();
        String timestampProblem = config.logAppendTime() ? null : TimestampBounds.problem(batch, nowMs, config);
        if (timestampProblem != null) {
            result.complete(AppendResult.failure(Errors.INVALID_TIMESTAMP, timestampProblem));
            return;
        }
        ProducerStateTable.Decision decision = producers.check(batch.producerId(), batch.producerEpoch(),
                batch.baseSequence(), batch.lastSequence());
        if (decision instanceof ProducerStateTable.Reject reject) {
            result.complete(AppendResult.failure(reject.error(), reject.message()));
            return;
        }
        Stream current = stream;
        if (decision instanceof ProducerStateTable.Duplicate duplicate) {
            ProducerStateTable.BatchEntry original = duplicate.original();
            original.durable().whenComplete((offset, error) -> result.complete(error == null
                    ? AppendResult.success(original.baseOffset(), current.startOffset())
                    : AppendResult.failure(StreamErrors.toKafka(error), null)));
            return;
        }
        long baseOffset = current.nextOffset();
        int offsetCount = (int) (batch.lastOffset() - batch.baseOffset() + 1);
        long appendTimeMs = config.logAppendTime() ? nowMs : RecordBatch.NO_TIMESTAMP;
        ByteBuffer payload = rewriteHeader(batch, baseOffset, appendTimeMs);
        CompletableFuture<Long> durable;
        try {
            durable = current.append(new StreamRecordBatch(streamId, current.epoch(), baseOffset, offsetCount, payload));
        } catch (RuntimeException e) {
            durable = CompletableFuture.failedFuture(e);
        }
        long storedMaxTimestamp = config.logAppendTime() ? nowMs : batch.maxTimestamp();
        producers.record(batch.producerId(), batch.producerEpoch(), new ProducerStateTable.BatchEntry(
                batch.baseSequence(), batch.lastSequence(), baseOffset, baseOffset + offsetCount - 1, durable),
                storedMaxTimestamp);
        index.add(baseOffset, baseOffset + offsetCount, storedMaxTimestamp, payload.remaining());
        lastAppend = durable;
        // Counted here on the partition's agent, not on the WAL's completion thread.
        traffic.recordIn(payload.remaining());
        bytesSinceCheckpoint += payload.remaining();
        if (bytesSinceCheckpoint >= checkpointIntervalBytes) {
            writeCheckpoint();
        }
        durable.whenComplete((offset, error) -> {
            if (error == null) {
                result.complete(AppendResult.success(baseOffset, current.startOffset(), appendTimeMs));
            } else {
                Errors code = StreamErrors.toKafka(error);
                result.complete(AppendResult.failure(code, null));
                agent.execute(() -> appendFailed(current, code, baseOffset, error));
            }
        });
    }

    /**
     * Copies the batch out of the request buffer and writes the assigned base offset and our
     * leader epoch into its header. Both fields precede the CRC'd range, so the CRC stays valid.
     * With LogAppendTime the timestamp type and max timestamp are rewritten too, with a new CRC.
     */
    private ByteBuffer rewriteHeader(MutableRecordBatch batch, long baseOffset, long logAppendTimeMs) {
        ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
        batch.writeTo(copy);
        copy.flip();
        MutableRecordBatch rewritten = MemoryRecords.readableRecords(copy).batches().iterator().next();
        rewritten.setLastOffset(baseOffset + (batch.lastOffset() - batch.baseOffset()));
        rewritten.setPartitionLeaderEpoch(leaderEpoch);
        if (logAppendTimeMs != RecordBatch.NO_TIMESTAMP) {
            // Attributes and max timestamp are covered by the CRC; this recomputes it.
            rewritten.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, logAppendTimeMs);
        }
        return copy;
    }

    /** On the agent: an append of {@code failedStream} failed; the first failure of the current stream decides. */
    private void appendFailed(Stream failedStream, Errors code, long baseOffset, Throwable error) {
        if (state != State.ACTIVE || failedStream != stream) {
            return;
        }
        if (StreamErrors.retriable(error)) {
            failure = code;
            startRecovery("append at offset " + baseOffset + " failed (" + StreamErrors.unwrap(error).getMessage() + ")");
        } else {
            fail(code, "append at offset " + baseOffset + " failed", error);
        }
    }

    private void fail(Errors code, String what, Throwable error) {
        if (state == State.CLOSED || state == State.FAILED) {
            return;
        }
        failure = code;
        state = State.FAILED;
        LOG.warn("Partition {}-{} failed ({}): {}", topic, key.partition(), code, what, error);
        wakeConfirmWaiters();
    }

    /**
     * Stops leading: later appends get {@code error} (UNKNOWN_TOPIC_OR_PARTITION for a deleted
     * topic, NOT_LEADER_OR_FOLLOWER for a moved partition), in-flight appends finish first, the
     * stream is closed (which uploads its data) and, when {@code deleteStream}, deleted.
     */
    CompletableFuture<Void> close(Errors error, boolean deleteStream) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        agent.execute(() -> {
            State previous = state;
            failure = error;
            state = State.CLOSED;
            runParked();
            wakeConfirmWaiters();
            Stream current = stream;
            Stream checkpoint = checkpoints;
            // A partition that served writes a checkpoint of everything, so that the next leader reads nothing else.
            boolean checkpointAtClose = previous == State.ACTIVE && !deleteStream;
            boolean handedOver = previous == State.HANDING_OVER || previous == State.HANDED_OVER;
            CompletableFuture<Void> closed = current == null || previous == State.FAILED && !deleteStream
                    ? CompletableFuture.completedFuture(null)
                    // The hand-over closes the streams itself.
                    : handedOver ? handOver.handle((r, e) -> null)
                    : finishAndClose(current, checkpoint, checkpointAtClose);
            closed.handle((r, e) -> {
                        if (e != null) {
                            LOG.warn("Closing stream {} of {}-{} failed", streamId, topic, key.partition(), e);
                        }
                        if (!deleteStream) {
                            return CompletableFuture.<Void>completedFuture(null);
                        }
                        return checkpointStreamId < 0 ? store.deleteStream(streamId, leaderEpoch)
                                : CompletableFuture.allOf(store.deleteStream(streamId, leaderEpoch),
                                        store.deleteStream(checkpointStreamId, leaderEpoch));
                    })
                    .thenCompose(f -> f)
                    .whenComplete((r, e) -> {
                        if (e != null && deleteStream) {
                            LOG.info("Deleting stream {} of {}-{}: {}", streamId, topic, key.partition(), e.toString());
                        }
                        LOG.info("Stopped leading {}-{} ({})", topic, key.partition(), error);
                        done.complete(null);
                    });
        });
        return done;
    }

    /** Applies new topic configs to later appends and retention runs. Any thread. */
    public void updateLogConfig(LogConfig config) {
        logConfig = config;
    }

    public LogConfig logConfig() {
        return logConfig;
    }

    /** On the agent: rebuilds the batch index and epoch history of everything below the open's end. */
    private void scanLog(Stream opened) {
        long end = opened.nextOffset();
        LogScanner.scan(opened, end, agent).whenComplete((scan, error) -> agent.execute(() -> {
            if (stream != opened) {
                return;
            }
            if (error != null) {
                LOG.warn("Partition {}-{}: scanning stream {} for retention failed; retention waits for the next open",
                        topic, key.partition(), streamId, error);
                return;
            }
            index.prepend(scan.index());
            index.trimTo(opened.startOffset());
            epochs.prepend(scan.epochs());
            indexComplete = true;
        }));
    }

    /**
     * Trims the stream as {@code retention.ms} and {@code retention.bytes} say (only with
     * {@code cleanup.policy} containing delete). Completes with the new log start offset, or -1
     * when nothing was due.
     */
    public CompletableFuture<Long> enforceRetention() {
        CompletableFuture<Long> result = new CompletableFuture<>();
        agent.execute(() -> {
            LogConfig config = logConfig;
            Stream current = stream;
            if (state != State.ACTIVE || !indexComplete || !config.deleteRetention()
                    || config.retentionMs() < 0 && config.retentionBytes() < 0) {
                result.complete(-1L);
                return;
            }
            long offset = index.retentionOffset(clock.millis(), config.retentionMs(), config.retentionBytes(),
                    current.confirmedOffset());
            if (offset <= current.startOffset()) {
                result.complete(-1L);
                return;
            }
            trim(current, offset).whenComplete((low, error) -> {
                if (error != null) {
                    LOG.warn("Partition {}-{}: retention trim to {} failed", topic, key.partition(), offset, error);
                    result.complete(-1L);
                } else {
                    LOG.info("Partition {}-{}: retention moved the log start to {}", topic, key.partition(), low);
                    result.complete(low);
                }
            });
        });
        return result;
    }

    /** DeleteRecords' answer for one partition: the new log start (low watermark) or an error. */
    public record DeleteResult(Errors error, long lowWatermark) {
    }

    /**
     * Moves the log start to {@code offset} (-1: the high watermark). Beyond the high watermark,
     * or negative, is OFFSET_OUT_OF_RANGE and changes nothing; at or below the log start changes
     * nothing and answers the log start.
     */
    public CompletableFuture<DeleteResult> deleteRecords(long offset) {
        CompletableFuture<DeleteResult> result = new CompletableFuture<>();
        agent.execute(() -> {
            Stream current = stream;
            if (state != State.ACTIVE) {
                Errors error = readError();
                result.complete(new DeleteResult(error == Errors.NONE ? Errors.NOT_LEADER_OR_FOLLOWER : error, -1L));
                return;
            }
            long highWatermark = current.confirmedOffset();
            long target = offset == -1L ? highWatermark : offset;
            if (target < 0 || target > highWatermark) {
                result.complete(new DeleteResult(Errors.OFFSET_OUT_OF_RANGE, -1L));
                return;
            }
            if (target <= current.startOffset()) {
                result.complete(new DeleteResult(Errors.NONE, current.startOffset()));
                return;
            }
            trim(current, target).whenComplete((low, error) -> result.complete(error == null
                    ? new DeleteResult(Errors.NONE, low)
                    : new DeleteResult(StreamErrors.toKafka(error), -1L)));
        });
        return result;
    }

    /** On the agent: trims the stream, then the index; completes (on the agent) with the new start. */
    private CompletableFuture<Long> trim(Stream current, long offset) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        current.trim(offset).whenComplete((ignored, error) -> agent.execute(() -> {
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            if (stream == current) {
                index.trimTo(offset);
            }
            done.complete(Math.max(offset, current.startOffset()));
        }));
        return done;
    }

    /** The partition's producers as DescribeProducers reports them; empty unless leading. */
    public CompletableFuture<List<ProducerStateTable.ProducerSnapshot>> producers() {
        return onAgent(() -> state == State.ACTIVE ? producers.snapshot() : List.of());
    }

    /**
     * OffsetForLeaderEpoch for {@code requestedEpoch}: the epoch found and where it ends; null
     * while the partition cannot be read (opening, handed over, closed), whose caller answers
     * {@link #readError()}: an undefined answer would make a consumer reset its position.
     */
    public CompletableFuture<LeaderEpochHistory.EndOffset> endOffsetForEpoch(int requestedEpoch) {
        return onAgent(() -> {
            Stream current = stream();
            return current == null ? null : epochs.endOffsetFor(requestedEpoch, current.nextOffset());
        });
    }

    /** Bytes retained by the partition (batches from the log start), as far as the index knows. */
    public CompletableFuture<Long> sizeBytes() {
        return onAgent(index::totalBytes);
    }

    private <T> CompletableFuture<T> onAgent(Supplier<T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        agent.execute(() -> result.complete(query.get()));
        return result;
    }

    /** Runs {@code waiter} once, the next time the high watermark advances or the leader stops. */
    public void addConfirmWaiter(Runnable waiter) {
        confirmWaiters.add(waiter);
        if (state == State.FAILED || state == State.CLOSED) {
            wakeConfirmWaiters();
        }
    }

    public void removeConfirmWaiter(Runnable waiter) {
        confirmWaiters.remove(waiter);
    }

    /** Wakes every waiting reader now (used when the broker drains for shutdown). */
    public void wakeConfirmWaiters() {
        for (Runnable waiter : confirmWaiters) {
            if (confirmWaiters.remove(waiter)) {
                waiter.run();
            }
        }
    }

}
