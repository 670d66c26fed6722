package dev.stratus.broker.partition;

import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.stream.StreamStore;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
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
 * next append tries again), FAILED (the open failed, or an append failed for a reason a retry
 * cannot fix, such as fencing; appends get the failure until the controller moves or re-opens
 * the partition), CLOSED (topic deleted or partition moved).
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
 * <p>Thread: the append path and every state change run on the partition's agent (one thread).
 * Readers (Fetch, ListOffsets) may call {@link #stream()}, {@link #readError()} and the confirm
 * waiter methods from any thread.
 */
public final class PartitionLeader {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLeader.class);

    enum State { OPENING, ACTIVE, RECOVERING, SUSPENDED, FAILED, CLOSED }

    /** Appends that may wait while the stream opens or reopens; more are answered with a retriable error at once. */
    static final int MAX_PARKED = 1024;

    private record ParkedAppend(MemoryRecords records, short produceVersion, CompletableFuture<AppendResult> result) {
    }

    private final PartitionKey key;
    private final String topic;
    private final long streamId;
    private final int leaderEpoch;
    private final int messageMaxBytes;
    private final Executor agent;
    private final StreamStore store;

    // Owned by the agent thread.
    private ProducerStateTable producers = new ProducerStateTable();
    private final ArrayDeque<ParkedAppend> parked = new ArrayDeque<>();
    private CompletableFuture<?> lastAppend = CompletableFuture.completedFuture(null);

    // Written by the agent thread, read by any.
    private volatile State state = State.OPENING;
    private volatile Stream stream;
    private volatile Errors failure = Errors.NONE;
    private final Set<Runnable> confirmWaiters = ConcurrentHashMap.newKeySet();

    public PartitionLeader(PartitionKey key, String topic, long streamId, int leaderEpoch, int messageMaxBytes,
                           Executor agent, StreamStore store) {
        this.key = key;
        this.topic = topic;
        this.streamId = streamId;
        this.leaderEpoch = leaderEpoch;
        this.messageMaxBytes = messageMaxBytes;
        this.agent = agent;
        this.store = store;
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
        return current == State.ACTIVE || current == State.RECOVERING || current == State.SUSPENDED ? stream : null;
    }

    /** The error a reader gets when {@link #stream()} is null. */
    public Errors readError() {
        return switch (state) {
            case ACTIVE, RECOVERING, SUSPENDED -> Errors.NONE;
            case OPENING -> Errors.NOT_LEADER_OR_FOLLOWER;
            case FAILED, CLOSED -> failure;
        };
    }

    State state() {
        return state;
    }

    /** Opens the stream with the leader epoch, fencing any earlier owner. */
    void open() {
        agent.execute(() -> store.openStream(streamId, leaderEpoch)
                .whenComplete((opened, error) -> agent.execute(() -> onOpened(opened, error))));
    }

    /** On the agent: the stream could not take an append because storage was unavailable; reopen it. */
    private void startRecovery(String why) {
        state = State.RECOVERING;
        LOG.warn("Partition {}-{}: {}; reopening stream {} at epoch {}", topic, key.partition(), why, streamId, leaderEpoch);
        // The engine lets the failed stream's appends in flight finish (all fail) before the new opening starts.
        store.openStream(streamId, leaderEpoch).whenComplete((opened, error) -> agent.execute(() -> onOpened(opened, error)));
    }

    private void onOpened(Stream opened, Throwable error) {
        if (state == State.CLOSED) {
            if (opened != null) {
                opened.close();
            }
            return;
        }
        if (error != null) {
            openFailed(StreamErrors.toKafka(error), "cannot open stream " + streamId + " at epoch " + leaderEpoch, error);
            return;
        }
        ProducerStateLoader.load(opened, agent).whenComplete((batches, loadError) -> agent.execute(() -> {
            if (state == State.CLOSED) {
                opened.close();
                return;
            }
            if (loadError != null) {
                openFailed(StreamErrors.toKafka(loadError), "cannot rebuild producer state of stream " + streamId, loadError);
                return;
            }
            producers = new ProducerStateTable();
            lastAppend = CompletableFuture.completedFuture(null);
            for (ProducerStateLoader.ProducerBatch batch : batches) {
                producers.record(batch.producerId(), batch.epoch(), new ProducerStateTable.BatchEntry(batch.firstSequence(),
                        batch.lastSequence(), batch.baseOffset(), batch.lastOffset(), CompletableFuture.completedFuture(batch.baseOffset())));
            }
            stream = opened;
            opened.onConfirm((id, confirmedOffset) -> wakeConfirmWaiters());
            state = State.ACTIVE;
            LOG.info("Leading {}-{} (stream {}, epoch {}, offsets [{}, {}), {} producer(s) restored)", topic,
                    key.partition(), streamId, leaderEpoch, opened.startOffset(), opened.nextOffset(), producers.size());
            runParked();
        }));
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
            if (state == State.OPENING || state == State.RECOVERING) {
                if (parked.size() >= MAX_PARKED) {
                    result.complete(AppendResult.failure(state == State.OPENING ? Errors.NOT_LEADER_OR_FOLLOWER : failure,
                            "too many produce requests waiting for the partition to open"));
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
        BatchValidator.Validation validation = BatchValidator.validate(records, messageMaxBytes, produceVersion);
        if (!validation.valid()) {
            result.complete(AppendResult.failure(validation.error(), validation.message()));
            return;
        }
        MutableRecordBatch batch = validation.batch();
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
        ByteBuffer payload = rewriteHeader(batch, baseOffset);
        CompletableFuture<Long> durable;
        try {
            durable = current.append(new StreamRecordBatch(streamId, current.epoch(), baseOffset, offsetCount, payload));
        } catch (RuntimeException e) {
            durable = CompletableFuture.failedFuture(e);
        }
        producers.record(batch.producerId(), batch.producerEpoch(), new ProducerStateTable.BatchEntry(
                batch.baseSequence(), batch.lastSequence(), baseOffset, baseOffset + offsetCount - 1, durable));
        lastAppend = durable;
        durable.whenComplete((offset, error) -> {
            if (error == null) {
                result.complete(AppendResult.success(baseOffset, current.startOffset()));
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
     */
    private ByteBuffer rewriteHeader(MutableRecordBatch batch, long baseOffset) {
        ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
        batch.writeTo(copy);
        copy.flip();
        MutableRecordBatch rewritten = MemoryRecords.readableRecords(copy).batches().iterator().next();
        rewritten.setLastOffset(baseOffset + (batch.lastOffset() - batch.baseOffset()));
        rewritten.setPartitionLeaderEpoch(leaderEpoch);
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
            CompletableFuture<Void> closed = current == null || previous == State.FAILED && !deleteStream
                    ? CompletableFuture.completedFuture(null)
                    : lastAppend.handle((r, e) -> null).thenCompose(ignored -> current.close());
            closed.handle((r, e) -> {
                        if (e != null) {
                            LOG.warn("Closing stream {} of {}-{} failed", streamId, topic, key.partition(), e);
                        }
                        return deleteStream ? store.deleteStream(streamId, leaderEpoch) : CompletableFuture.<Void>completedFuture(null);
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
