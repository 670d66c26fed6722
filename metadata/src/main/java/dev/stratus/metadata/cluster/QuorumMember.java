package dev.stratus.metadata.cluster;

import dev.stratus.metadata.controller.QuorumController;
import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.quorum.QuorumSettings;
import dev.stratus.metadata.quorum.QuorumStatus;
import dev.stratus.metadata.quorum.RatisMetadataLog;
import dev.stratus.metadata.rpc.CommittedBatches;
import dev.stratus.metadata.rpc.ControllerService;
import java.io.IOException;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A controller quorum member as a process with {@code process.roles} containing
 * {@code controller} runs it: the Ratis-replicated metadata log feeding this node's
 * {@link MetadataLoader} (and the recent batches brokers fetch), the controller runtime that
 * decides while this member leads, and the service that answers other nodes' requests.
 * Started and closed by the server's lifecycle thread.
 */
public final class QuorumMember implements AutoCloseable {

    private static final int BATCHES_KEPT = 10_000;

    private final RatisMetadataLog log;
    private final QuorumController controller;
    private final ScheduledExecutorService timer;

    private QuorumMember(RatisMetadataLog log, QuorumController controller, ScheduledExecutorService timer) {
        this.log = log;
        this.controller = controller;
        this.timer = timer;
    }

    /**
     * Starts the member: replays its snapshot and log into {@code loader}, joins the quorum, and
     * serves requests.
     *
     * @param brokerSessionTimeoutMs {@code broker.session.timeout.ms}: brokers silent this long are fenced
     */
    public static QuorumMember start(QuorumSettings settings, MetadataLoader loader, Clock clock, long brokerSessionTimeoutMs)
            throws IOException {
        RatisMetadataLog log = new RatisMetadataLog(settings);
        CommittedBatches batches = new CommittedBatches(loader, BATCHES_KEPT);
        QuorumController controller = new QuorumController(log, loader, clock, UUID::randomUUID, brokerSessionTimeoutMs);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stratus-controller-service");
            t.setDaemon(true);
            return t;
        });
        ControllerService service = new ControllerService(controller, loader, batches, log, timer, log::status);
        log.setRequestHandler(service::handle);
        try {
            log.start(batches);
        } catch (IOException | RuntimeException e) {
            controller.close();
            timer.shutdownNow();
            log.close();
            throw e;
        }
        return new QuorumMember(log, controller, timer);
    }

    public QuorumController controller() {
        return controller;
    }

    public RatisMetadataLog log() {
        return log;
    }

    /**
     * The quorum as this member sees it at {@code nowMs}; while it leads, with every voter's
     * replication and the live brokers as observers (DescribeQuorum).
     */
    public QuorumStatus status(long nowMs) {
        QuorumStatus status = log.status(nowMs);
        return leads() ? status.withObservers(controller.observers(status.highWatermark())) : status;
    }

    /** True while this member is the active controller. */
    public boolean leads() {
        return log.leader().leaderId() == log.nodeId();
    }

    @Override
    public void close() {
        controller.close();
        timer.shutdownNow();
        log.close();
    }
}
