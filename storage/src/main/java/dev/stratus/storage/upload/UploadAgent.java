package dev.stratus.storage.upload;

import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.wal.WriteAheadLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Decides when to upload and runs one upload at a time: when un-uploaded WAL bytes pass the
 * threshold ({@link #appended}), on a timer, and on demand ({@link #uploadAll}). Requests that
 * arrive while an upload runs are merged into a single follow-up upload, so at most one upload
 * runs and one waits.
 *
 * <p>Threading: owns the thread {@code stratus-uploader}, started by {@link #start()}; requests
 * may come from any thread (the threshold check runs on the WAL writer thread and only submits).
 */
public final class UploadAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UploadAgent.class);

    private final WriteAheadLog wal;
    private final long thresholdBytes;
    private final long intervalMs;
    private final ScheduledExecutorService executor;
    private final WalUploader uploader;

    private long queuedCut = -1;
    private CompletableFuture<Void> queued;
    private CompletableFuture<Void> current;
    private boolean running;
    private boolean closed;

    public UploadAgent(WriteAheadLog wal, ObjectStorage objectStorage, StreamMetadataStore metadata, UploadListener listener,
                       UploadSettings settings) {
        this.wal = wal;
        this.thresholdBytes = settings.thresholdBytes();
        this.intervalMs = settings.intervalMs();
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stratus-uploader");
            thread.setDaemon(true);
            return thread;
        });
        this.uploader = new WalUploader(wal, objectStorage, metadata, listener, executor, settings);
    }

    /** Starts the periodic upload. */
    public void start() {
        executor.scheduleWithFixedDelay(() -> {
            if (wal.confirmedPosition() > wal.trimPosition()) {
                uploadAll("timer");
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** Called after each durable append with the WAL position it reached; uploads once the threshold is passed. */
    public void appended(long walEndPosition) {
        if (walEndPosition - wal.trimPosition() >= thresholdBytes) {
            boolean idle;
            synchronized (this) {
                idle = queued == null && !running;
            }
            if (idle) {
                // Callbacks run in WAL order, so every record below walEndPosition has been confirmed.
                uploadTo(walEndPosition, "threshold");
            }
        }
    }

    /**
     * Uploads everything the WAL holds durably now; completes once it is committed and the WAL
     * trimmed past it.
     */
    public CompletableFuture<Void> uploadAll(String reason) {
        return uploadTo(wal.confirmedPosition(), reason);
    }

    private CompletableFuture<Void> uploadTo(long cut, String reason) {
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, "uploader closed"));
            }
            if (queued == null) {
                queued = new CompletableFuture<>();
                queuedCut = cut;
            } else {
                queuedCut = Math.max(queuedCut, cut);
            }
            CompletableFuture<Void> result = queued;
            if (!running) {
                startNext(reason);
            }
            return result;
        }
    }

    /** Under the lock: starts the queued upload. */
    private void startNext(String reason) {
        CompletableFuture<Void> done = queued;
        long cut = queuedCut;
        queued = null;
        queuedCut = -1;
        running = true;
        current = done;
        LOG.debug("upload to WAL position {} ({})", cut, reason);
        executor.execute(() -> uploader.uploadTo(cut).whenComplete((v, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(null);
            }
            synchronized (this) {
                running = false;
                if (queued != null && !closed) {
                    startNext("queued");
                }
            }
        }));
    }

    /** Stops uploading: the running upload fails at its next step; queued ones fail now. */
    @Override
    public void close() {
        CompletableFuture<Void> pending;
        CompletableFuture<Void> inFlight;
        synchronized (this) {
            closed = true;
            pending = queued;
            inFlight = current;
            queued = null;
        }
        uploader.stop();
        for (CompletableFuture<Void> future : java.util.Arrays.asList(pending, inFlight)) {
            if (future != null) {
                future.completeExceptionally(new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, "uploader closed"));
            }
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
