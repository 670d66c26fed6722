package dev.stratus.metadata.cluster;

import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.quorum.QuorumClient;
import dev.stratus.metadata.quorum.QuorumSettings;
import dev.stratus.metadata.rpc.ControllerClient;
import dev.stratus.metadata.rpc.MetadataFetcher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How a broker reaches the quorum: a client of it, the controller as a client of the active
 * controller ({@link ControllerClient}), and, on a node that is not itself a member, the
 * fetcher that keeps this node's {@link MetadataLoader} current. Started and closed by the
 * server's lifecycle thread.
 */
public final class QuorumFollower implements AutoCloseable {

    /** How long a metadata fetch waits at the controller for news: the bound on how late a broker learns of a commit. */
    private static final long FETCH_WAIT_MS = 1_000;

    private final QuorumClient transport;
    private final ControllerClient controller;
    private final MetadataFetcher fetcher;
    private final ScheduledExecutorService retries;
    private final ExecutorService callbacks;

    private QuorumFollower(QuorumClient transport, ControllerClient controller, MetadataFetcher fetcher,
                           ScheduledExecutorService retries, ExecutorService callbacks) {
        this.transport = transport;
        this.controller = controller;
        this.fetcher = fetcher;
        this.retries = retries;
        this.callbacks = callbacks;
    }

    /**
     * @param fetch whether this node must fetch the metadata (false on a quorum member, whose
     *              loader the replicated log feeds)
     */
    public static QuorumFollower start(QuorumSettings settings, MetadataLoader loader, boolean fetch) {
        QuorumClient transport = QuorumClient.open(settings);
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stratus-controller-client-retry");
            t.setDaemon(true);
            return t;
        });
        ExecutorService callbacks = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "stratus-controller-client");
            t.setDaemon(true);
            return t;
        });
        ControllerClient controller = new ControllerClient(transport, loader, retries, callbacks);
        MetadataFetcher fetcher = fetch ? new MetadataFetcher(transport, loader, FETCH_WAIT_MS) : null;
        if (fetcher != null) {
            fetcher.start();
        }
        return new QuorumFollower(transport, controller, fetcher, retries, callbacks);
    }

    public ControllerClient controller() {
        return controller;
    }

    /** Completes once this node's image holds the metadata as of about now. */
    public CompletableFuture<Void> caughtUp() {
        return fetcher == null ? CompletableFuture.completedFuture(null) : fetcher.caughtUp();
    }

    @Override
    public void close() {
        if (fetcher != null) {
            fetcher.close();
        }
        retries.shutdownNow();
        callbacks.shutdownNow();
        transport.close();
    }
}
