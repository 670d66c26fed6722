package dev.stratus.metadata.rpc;

import dev.stratus.metadata.MetadataErrorCode;
import dev.stratus.metadata.MetadataException;
import dev.stratus.metadata.controller.QuorumController;
import dev.stratus.metadata.image.ImageRecords;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.log.MetadataLog;
import dev.stratus.metadata.quorum.QuorumStatus;
import dev.stratus.metadata.rpc.ControllerRequest.AllocateProducerIds;
import dev.stratus.metadata.rpc.ControllerRequest.AlterTopicConfigs;
import dev.stratus.metadata.rpc.ControllerRequest.BrokerHeartbeat;
import dev.stratus.metadata.rpc.ControllerRequest.CloseStream;
import dev.stratus.metadata.rpc.ControllerRequest.CommitObjects;
import dev.stratus.metadata.rpc.ControllerRequest.CreatePartitions;
import dev.stratus.metadata.rpc.ControllerRequest.CreateStream;
import dev.stratus.metadata.rpc.ControllerRequest.CreateTopic;
import dev.stratus.metadata.rpc.ControllerRequest.DeleteStream;
import dev.stratus.metadata.rpc.ControllerRequest.DeleteTopic;
import dev.stratus.metadata.rpc.ControllerRequest.Envelope;
import dev.stratus.metadata.rpc.ControllerRequest.FetchMetadata;
import dev.stratus.metadata.rpc.ControllerRequest.ForgetObjects;
import dev.stratus.metadata.rpc.ControllerRequest.MarkOrphans;
import dev.stratus.metadata.rpc.ControllerRequest.OpenStream;
import dev.stratus.metadata.rpc.ControllerRequest.PrepareObjects;
import dev.stratus.metadata.rpc.ControllerRequest.RegisterBroker;
import dev.stratus.metadata.rpc.ControllerRequest.TrimStream;
import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.stream.StreamException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the requests other nodes send to the controller quorum, on every controller member:
 * changes go to the {@link QuorumController} (which refuses them unless this member is the
 * active controller), metadata fetches are answered from the batches this member has committed
 * (or its image, for a node too far behind) and wait up to their limit for the next batch. A
 * broker's stream and object changes run in its registration's session, so a fenced broker's
 * are refused. Thread-safe; answers complete on controller or timer threads.
 */
public final class ControllerService {

    private static final Logger log = LoggerFactory.getLogger(ControllerService.class);
    /** The longest a fetch may wait for the next batch, whatever it asks. */
    static final long MAX_FETCH_WAIT_MS = 5_000;

    private final QuorumController controller;
    private final MetadataLoader loader;
    private final CommittedBatches batches;
    private final MetadataLog metadataLog;
    private final ScheduledExecutorService timer;
    private final Function<Long, QuorumStatus> status;

    /** @param status the quorum as this member sees it, at a given time (DescribeQuorum) */
    public ControllerService(QuorumController controller, MetadataLoader loader, CommittedBatches batches,
                             MetadataLog metadataLog, ScheduledExecutorService timer, Function<Long, QuorumStatus> status) {
        this.status = status;
        this.controller = controller;
        this.loader = loader;
        this.batches = batches;
        this.metadataLog = metadataLog;
        this.timer = timer;
    }

    /** Decodes, serves and encodes one request; a request that cannot be read is answered BAD_REQUEST. */
    public CompletableFuture<byte[]> handle(byte[] request) {
        Envelope envelope;
        try {
            envelope = ControllerMessageCodec.decodeRequest(request);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(ControllerMessageCodec.encodeResponse(
                    new ControllerResponse.Failed(ControllerResponse.ErrorKind.BAD_REQUEST, "UNREADABLE", e.getMessage(), -1)));
        }
        return handle(envelope).thenApply(ControllerMessageCodec::encodeResponse);
    }

    public CompletableFuture<ControllerResponse> handle(Envelope envelope) {
        ControllerRequest request = envelope.request();
        if (request instanceof FetchMetadata fetch) {
            return fetch(fetch);
        }
        if (request instanceof ControllerRequest.DescribeQuorum) {
            return CompletableFuture.completedFuture(describeQuorum());
        }
        CompletableFuture<?> done;
        try {
            done = change(envelope);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.handle((value, error) -> error == null
                ? new ControllerResponse.Done(loader.image().offset(), value)
                : failure(error));
    }

    private CompletableFuture<?> change(Envelope envelope) {
        ControllerRequest request = envelope.request();
        StreamMetadataStore streams = envelope.brokerId() >= 0
                ? controller.session(envelope.brokerId(), envelope.brokerEpoch()) : controller;
        if (request instanceof RegisterBroker r) {
            return controller.registerBroker(r.registration());
        } else if (request instanceof BrokerHeartbeat r) {
            return controller.heartbeat(r.brokerId(), r.brokerEpoch(), r.shuttingDown(), r.load());
        } else if (request instanceof CreateTopic r) {
            return controller.createTopic(r.name(), r.partitions(), r.configs());
        } else if (request instanceof AlterTopicConfigs r) {
            return controller.alterTopicConfigs(r.name(), r.ops(), r.replaceAll(), r.validateOnly());
        } else if (request instanceof CreatePartitions r) {
            return controller.createPartitions(r.name(), r.totalCount(), r.validateOnly());
        } else if (request instanceof DeleteTopic r) {
            return controller.deleteTopic(r.name());
        } else if (request instanceof ControllerRequest.ReassignPartition r) {
            return controller.reassignPartition(r.name(), r.partition(), r.target());
        } else if (request instanceof ControllerRequest.DrainBroker) {
            return controller.drainBroker(envelope.brokerId(), envelope.brokerEpoch());
        } else if (request instanceof ControllerRequest.CompletePartitionMove r) {
            return controller.completePartitionMove(envelope.brokerId(), envelope.brokerEpoch(), r.topicId(), r.partition(),
                    r.leaderEpoch());
        } else if (request instanceof AllocateProducerIds r) {
            return controller.allocateProducerIds(r.count());
        } else if (request instanceof CreateStream) {
            return streams.createStream();
        } else if (request instanceof OpenStream r) {
            return streams.openStream(r.streamId(), r.epoch());
        } else if (request instanceof CloseStream r) {
            return streams.closeStream(r.streamId(), r.epoch());
        } else if (request instanceof TrimStream r) {
            return streams.trimStream(r.streamId(), r.epoch(), r.newStartOffset());
        } else if (request instanceof DeleteStream r) {
            return streams.deleteStream(r.streamId(), r.epoch());
        } else if (request instanceof PrepareObjects r) {
            return streams.prepareObjects(r.count(), r.ttlMs());
        } else if (request instanceof CommitObjects r) {
            return streams.commitObjects(r.commit());
        } else if (request instanceof MarkOrphans r) {
            return streams.markOrphans(r.objectIds());
        } else if (request instanceof ForgetObjects r) {
            return streams.forgetObjects(r.objectIds());
        }
        throw new IllegalArgumentException("no handler for " + request.getClass().getSimpleName());
    }

    private CompletableFuture<ControllerResponse> fetch(FetchMetadata fetch) {
        ControllerResponse now = batchesAfter(fetch.afterOffset());
        if (!(now instanceof ControllerResponse.Batches answer) || !answer.batches().isEmpty() || fetch.maxWaitMs() <= 0) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<ControllerResponse> result = new CompletableFuture<>();
        long waitMs = Math.min(fetch.maxWaitMs(), MAX_FETCH_WAIT_MS);
        var timeout = timer.schedule(() -> result.complete(batchesAfter(fetch.afterOffset())), waitMs, TimeUnit.MILLISECONDS);
        batches.awaitAfter(fetch.afterOffset()).thenRun(() -> {
            timeout.cancel(false);
            result.complete(batchesAfter(fetch.afterOffset()));
        });
        return result;
    }

    private ControllerResponse describeQuorum() {
        if (metadataLog.leader().leaderId() != metadataLog.nodeId()) {
            return new ControllerResponse.Failed(ControllerResponse.ErrorKind.NOT_CONTROLLER, MetadataErrorCode.NOT_CONTROLLER.name(),
                    "only the active controller describes the quorum", metadataLog.leader().leaderId());
        }
        QuorumStatus now = status.apply(System.currentTimeMillis());
        return new ControllerResponse.Quorum(now.leaderId(), now.leaderEpoch(), now.highWatermark(), replicas(now.voters()),
                replicas(controller.observers(now.highWatermark())));
    }

    private static List<ControllerResponse.Replica> replicas(List<QuorumStatus.Replica> replicas) {
        return replicas.stream().map(r -> new ControllerResponse.Replica(r.id(), r.logEndOffset(), r.lastFetchTimestampMs(),
                r.lastCaughtUpTimestampMs())).toList();
    }

    private ControllerResponse batchesAfter(long afterOffset) {
        List<ControllerResponse.Batch> after = batches.after(afterOffset);
        if (after != null) {
            return new ControllerResponse.Batches(after);
        }
        MetadataImage image = loader.image();
        return new ControllerResponse.Snapshot(image.offset(), ImageRecords.of(image));
    }

    private ControllerResponse failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof MetadataException e) {
            if (e.code() == MetadataErrorCode.NOT_CONTROLLER) {
                return new ControllerResponse.Failed(ControllerResponse.ErrorKind.NOT_CONTROLLER, e.code().name(), e.getMessage(),
                        metadataLog.leader().leaderId());
            }
            return new ControllerResponse.Failed(ControllerResponse.ErrorKind.METADATA, e.code().name(), e.getMessage(), -1);
        }
        if (cause instanceof StreamException e) {
            return new ControllerResponse.Failed(ControllerResponse.ErrorKind.STREAM, e.code().name(), e.getMessage(), -1);
        }
        log.warn("Controller request failed unexpectedly", cause);
        return new ControllerResponse.Failed(ControllerResponse.ErrorKind.BAD_REQUEST, cause.getClass().getSimpleName(),
                String.valueOf(cause.getMessage()), -1);
    }
}
