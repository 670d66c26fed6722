package dev.stratus.metadata.rpc;

import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.quorum.QuorumClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the image of a node that is not a controller (a broker-only node) up to date: asks the
 * active controller, in a loop, for the batches after what it has applied (waiting there up to
 * {@code maxWaitMs} for news, so a commit reaches the node within a round trip), and applies
 * them, or a snapshot when it is too far behind. Retries after a pause when the quorum does not
 * answer. Owns one thread.
 */
public final class MetadataFetcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetadataFetcher.class);
    private static final long RETRY_PAUSE_MS = 300;

    private final QuorumClient transport;
    private final MetadataLoader loader;
    private final long maxWaitMs;
    private final Thread thread;
    private final CompletableFuture<Void> firstFetch = new CompletableFuture<>();
    private volatile boolean running = true;

    public MetadataFetcher(QuorumClient transport, MetadataLoader loader, long maxWaitMs) {
        this.transport = transport;
        this.loader = loader;
        this.maxWaitMs = maxWaitMs;
        this.thread = new Thread(this::run, "stratus-metadata-fetcher");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Completes once the first fetch was applied: the node knows the metadata as of its start. */
    public CompletableFuture<Void> caughtUp() {
        return firstFetch;
    }

    private void run() {
        while (running) {
            try {
                long after = loader.image().offset();
                byte[] answer = transport.read(ControllerMessageCodec.encodeRequest(
                        new ControllerRequest.Envelope(-1, -1, new ControllerRequest.FetchMetadata(after, maxWaitMs))))
                        .get(maxWaitMs + 60_000, TimeUnit.MILLISECONDS);
                ControllerResponse response = ControllerMessageCodec.decodeResponse(answer);
                if (response instanceof ControllerResponse.Batches batches) {
                    for (ControllerResponse.Batch batch : batches.batches()) {
                        if (batch.offset() > loader.image().offset()) {
                            loader.onCommit(batch.offset(), batch.records());
                        }
                    }
                } else if (response instanceof ControllerResponse.Snapshot snapshot) {
                    log.info("Metadata fetch: loading a snapshot at offset {} ({} records)", snapshot.offset(),
                            snapshot.records().size());
                    loader.onSnapshot(snapshot.offset(), snapshot.records());
                } else {
                    throw new IllegalStateException("unexpected answer to a metadata fetch: " + response);
                }
                firstFetch.complete(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                log.warn("Metadata fetch failed, retrying in {} ms: {}", RETRY_PAUSE_MS, e.toString());
                try {
                    Thread.sleep(RETRY_PAUSE_MS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
