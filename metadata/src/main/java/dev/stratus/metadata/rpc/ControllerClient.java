package dev.stratus.metadata.rpc;

import dev.stratus.metadata.BrokerLoad;
import dev.stratus.metadata.BrokerRegistrationRequest;
import dev.stratus.metadata.MetadataErrorCode;
import dev.stratus.metadata.MetadataException;
import dev.stratus.metadata.ProducerIdController;
import dev.stratus.metadata.QuorumDescriber;
import dev.stratus.metadata.TopicController;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.config.ConfigOp;
import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.quorum.QuorumClient;
import dev.stratus.metadata.quorum.QuorumStatus;
import dev.stratus.metadata.rpc.ControllerRequest.Envelope;
import dev.stratus.storage.metadata.CommitRequest;
import dev.stratus.storage.metadata.StreamMetadata;
import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The controller as a node of a cluster sees it: every change is a request to the active
 * controller (wherever it runs) through the {@link QuorumClient}, and its future completes
 * only once this node's own image has applied the change, so the caller reads its own writes.
 * After registering, the node's stream and object changes carry its registration, which the
 * controller checks (a fenced broker's changes are refused). While a leader is being elected,
 * requests are retried for a while.
 *
 * <p>Thread-safe; futures complete on {@code callbacks}.
 */
public final class ControllerClient implements TopicController, ProducerIdController, StreamMetadataStore, QuorumDescriber {

    private static final long NOT_CONTROLLER_RETRY_MS = 200;
    private static final int NOT_CONTROLLER_ATTEMPTS = 100;

    private final QuorumClient transport;
    private final MetadataLoader loader;
    private final ScheduledExecutorService retries;
    private final Executor callbacks;
    private volatile int brokerId = -1;
    private volatile long brokerEpoch = -1;

    /**
     * @param retries   where retries wait
     * @param callbacks where futures complete (never the loader's or Ratis' threads)
     */
    public ControllerClient(QuorumClient transport, MetadataLoader loader, ScheduledExecutorService retries, Executor callbacks) {
        this.transport = transport;
        this.loader = loader;
        this.retries = retries;
        this.callbacks = callbacks;
    }

    /** The registration this node's changes run under, -1 before it registers. */
    public long brokerEpoch() {
        return brokerEpoch;
    }

    @Override
    public CompletableFuture<Long> registerBroker(BrokerRegistrationRequest request) {
        return this.<Long>call(new ControllerRequest.RegisterBroker(request)).thenApply(epoch -> {
            brokerId = request.brokerId();
            brokerEpoch = Math.max(brokerEpoch, epoch);
            return epoch;
        });
    }

    @Override
    public CompletableFuture<Void> heartbeat(int brokerId, long brokerEpoch, boolean shuttingDown, BrokerLoad load) {
        return call(new ControllerRequest.BrokerHeartbeat(brokerId, brokerEpoch, shuttingDown, load));
    }

    @Override
    public CompletableFuture<QuorumStatus> describeQuorum() {
        CompletableFuture<QuorumStatus> result = new CompletableFuture<>();
        transport.toLeader(ControllerMessageCodec.encodeRequest(new Envelope(brokerId, brokerEpoch,
                new ControllerRequest.DescribeQuorum()))).whenCompleteAsync((bytes, error) -> {
                    if (error != null) {
                        result.completeExceptionally(new MetadataException(MetadataErrorCode.UNAVAILABLE,
                                "controller quorum unreachable: " + unwrap(error)));
                        return;
                    }
                    ControllerResponse response = ControllerMessageCodec.decodeResponse(bytes);
                    if (response instanceof ControllerResponse.Quorum q) {
                        result.complete(new QuorumStatus(q.leaderId(), q.leaderEpoch(), q.highWatermark(), replicas(q.voters()),
                                replicas(q.observers())));
                    } else if (response instanceof ControllerResponse.Failed failed) {
                        result.completeExceptionally(toException(failed));
                    } else {
                        result.completeExceptionally(new IllegalStateException("unexpected controller answer " + response));
                    }
                }, callbacks);
        return result;
    }

    private static List<QuorumStatus.Replica> replicas(List<ControllerResponse.Replica> replicas) {
        return replicas.stream().map(r -> new QuorumStatus.Replica(r.id(), r.logEndOffset(), r.lastFetchTimestampMs(),
                r.lastCaughtUpTimestampMs())).toList();
    }

    @Override
    public CompletableFuture<TopicMetadata> createTopic(String name, int partitions, Map<String, String> configs) {
        return call(new ControllerRequest.CreateTopic(name, partitions, configs));
    }

    @Override
    public CompletableFuture<TopicMetadata> alterTopicConfigs(String name, List<ConfigOp> ops, boolean replaceAll,
                                                              boolean validateOnly) {
        return call(new ControllerRequest.AlterTopicConfigs(name, ops, replaceAll, validateOnly));
    }

    @Override
    public CompletableFuture<TopicMetadata> createPartitions(String name, int totalCount, boolean validateOnly) {
        return call(new ControllerRequest.CreatePartitions(name, totalCount, validateOnly));
    }

    @Override
    public CompletableFuture<Void> deleteTopic(String name) {
        return call(new ControllerRequest.DeleteTopic(name));
    }

    @Override
    public CompletableFuture<Void> reassignPartition(String topic, int partition, int target) {
        return call(new ControllerRequest.ReassignPartition(topic, partition, target));
    }

    @Override
    public CompletableFuture<Long> drainBroker(int brokerId, long brokerEpoch) {
        // Sent under this node's registration, whose epoch the envelope carries.
        return call(new ControllerRequest.DrainBroker());
    }

    @Override
    public CompletableFuture<Void> completePartitionMove(int brokerId, long brokerEpoch, UUID topicId, int partition,
                                                         int leaderEpoch) {
        // Sent under this node's registration, whose epoch the envelope carries.
        return call(new ControllerRequest.CompletePartitionMove(topicId, partition, leaderEpoch));
    }

    @Override
    public CompletableFuture<Long> allocateProducerIds(int count) {
        return call(new ControllerRequest.AllocateProducerIds(count));
    }

    @Override
    public CompletableFuture<Long> createStream() {
        return call(new ControllerRequest.CreateStream());
    }

    @Override
    public CompletableFuture<StreamMetadata> openStream(long streamId, long epoch) {
        return call(new ControllerRequest.OpenStream(streamId, epoch));
    }

    @Override
    public CompletableFuture<Void> closeStream(long streamId, long epoch) {
        return call(new ControllerRequest.CloseStream(streamId, epoch));
    }

    @Override
    public CompletableFuture<Void> trimStream(long streamId, long epoch, long newStartOffset) {
        return call(new ControllerRequest.TrimStream(streamId, epoch, newStartOffset));
    }

    @Override
    public CompletableFuture<Void> deleteStream(long streamId, long epoch) {
        return call(new ControllerRequest.DeleteStream(streamId, epoch));
    }

    @Override
    public CompletableFuture<Long> prepareObjects(int count, long ttlMs) {
        return call(new ControllerRequest.PrepareObjects(count, ttlMs));
    }

    @Override
    public CompletableFuture<Void> commitObjects(CommitRequest request) {
        return call(new ControllerRequest.CommitObjects(request));
    }

    @Override
    public CompletableFuture<List<Long>> markOrphans(List<Long> objectIds) {
        return call(new ControllerRequest.MarkOrphans(objectIds));
    }

    @Override
    public CompletableFuture<Void> forgetObjects(List<Long> objectIds) {
        return call(new ControllerRequest.ForgetObjects(objectIds));
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> call(ControllerRequest request) {
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(new Envelope(brokerId, brokerEpoch, request), NOT_CONTROLLER_ATTEMPTS, (CompletableFuture<Object>) result);
        return result;
    }

    private void attempt(Envelope envelope, int attemptsLeft, CompletableFuture<Object> result) {
        transport.toLeader(ControllerMessageCodec.encodeRequest(envelope)).whenCompleteAsync((bytes, error) -> {
            if (error != null) {
                result.completeExceptionally(new MetadataException(MetadataErrorCode.UNAVAILABLE,
                        "controller quorum unreachable: " + unwrap(error)));
                return;
            }
            ControllerResponse response;
            try {
                response = ControllerMessageCodec.decodeResponse(bytes);
            } catch (IllegalArgumentException e) {
                result.completeExceptionally(new IllegalStateException("unreadable controller answer: " + e.getMessage(), e));
                return;
            }
            if (response instanceof ControllerResponse.Done done) {
                // Complete once this node's image holds the change: its next read sees it.
                loader.awaitOffset(done.offset()).whenCompleteAsync((image, e) -> result.complete(done.value()), callbacks);
            } else if (response instanceof ControllerResponse.Failed failed) {
                long current = brokerEpoch;
                if (failed.kind() == ControllerResponse.ErrorKind.METADATA
                        && MetadataErrorCode.STALE_BROKER_EPOCH.name().equals(failed.code())
                        && envelope.brokerId() >= 0 && current > envelope.brokerEpoch() && attemptsLeft > 1) {
                    // Sent just before this node registered again: the change belongs to the new registration.
                    attempt(new Envelope(envelope.brokerId(), current, envelope.request()), attemptsLeft - 1, result);
                } else if (failed.kind() == ControllerResponse.ErrorKind.NOT_CONTROLLER && attemptsLeft > 1) {
                    retries.schedule(() -> attempt(envelope, attemptsLeft - 1, result), NOT_CONTROLLER_RETRY_MS,
                            TimeUnit.MILLISECONDS);
                } else {
                    result.completeExceptionally(toException(failed));
                }
            } else {
                result.completeExceptionally(new IllegalStateException("unexpected controller answer " + response));
            }
        }, callbacks);
    }

    static RuntimeException toException(ControllerResponse.Failed failed) {
        switch (failed.kind()) {
            case METADATA:
                return new MetadataException(enumOr(MetadataErrorCode.class, failed.code(), MetadataErrorCode.UNAVAILABLE),
                        failed.message());
            case STREAM:
                return new StreamException(enumOr(StreamErrorCode.class, failed.code(), StreamErrorCode.UNEXPECTED),
                        failed.message());
            case NOT_CONTROLLER:
                return new MetadataException(MetadataErrorCode.NOT_CONTROLLER, failed.message());
            default:
                return new IllegalStateException("the controller could not serve the request: " + failed.code() + ": "
                        + failed.message());
        }
    }

    private static <E extends Enum<E>> E enumOr(Class<E> type, String name, E fallback) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException unknown) {
            return fallback;
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
