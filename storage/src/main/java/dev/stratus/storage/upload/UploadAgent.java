package dev.stratus.storage.upload;

import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.metadata.StreamMetadataView;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.wal.WriteAheadLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Decides when to upload and runs one upload job at a time: the whole WAL when un-uploaded WAL
 * bytes pass the threshold ({@link #appended}), on a timer, and on demand ({@link #uploadAll});
 * one stream's WAL data on demand ({@link #uploadStream}: a partition move, a stream's close).
 * Requests that arrive while a job runs wait: whole-WAL requests are merged into one follow-up
 * job, and so are one-stream requests (one job that reads the WAL once for all the streams
 * waiting, as when many partitions close together). The one-stream job goes first when the
 * running job ends (a partition move waits for it); the whole-WAL job follows.
 *
 * <p>Threading: owns the thread {@code stratus-uploader}, started by {@link #start()}, on which
 * every job runs (so the WAL is trimmed and objects are committed by that thread alone); requests
 * may come from any thread (the threshold check runs on the WAL writer thread and only submits).
 * The queue of waiting jobs is guarded by this object's lock.
 */
public final class UploadAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UploadAgent.class);

    /** A waiting one-stream request: everything of the stream below {@code cut}. */
    private static final class StreamRequest {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        long cut;

        StreamRequest(long cut) {
            this.cut = cut;
        }
    }

    private final WriteAheadLog wal;
    private final long thresholdBytes;
    private final long intervalMs;
    private final ScheduledExecutorService executor;
    private final UploadRounds rounds;
    private final WalUploader uploader;
    private final StreamUploader streamUploader;

    private long queuedCut = -1;
    private CompletableFuture<Void> queued;
    private final LinkedHashMap<Long, StreamRequest> queuedStreams = new LinkedHashMap<>();
    private CompletableFuture<Void> current;
    private boolean running;
    private boolean closed;

    public UploadAgent(WriteAheadLog wal, ObjectStorage objectStorage, StreamMetadataStore metadata, StreamMetadataView view,
                       UploadListener listener,
                       UploadSettings settings) {
        this.wal = wal;
        this.thresholdBytes = settings.thresholdBytes();
        this.intervalMs = settings.intervalMs();
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stratus-uploader");
            thread.setDaemon(true);
            return thread;
        });
        UploadCommitter committer = new UploadCommitter(objectStorage, metadata, view, listener, executor, settings);
        this.rounds = new UploadRounds(executor);
        this.uploader = new WalUploader(wal, committer, rounds, executor, settings.maxObjectBytes());
        this.streamUploader = new StreamUploader(wal, committer, rounds, executor, settings.maxObjectBytes());
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

    /**
     * Uploads the data of {@code streamId} that the WAL holds durably now, and only that stream's;
     * completes once it is committed (data fenced by a newer opener or of a deleted stream is left
     * out, as every upload does). The WAL is trimmed only as far as every stream's data below the
     * new trim point is committed.
     */
    public CompletableFuture<Void> uploadStream(long streamId, String reason) {
        long cut = wal.confirmedPosition();
        synchronized (this) {
            if (closed) {
                return closedFailure();
            }
            StreamRequest request = queuedStreams.get(streamId);
            if (request == null) {
                request = new StreamRequest(cut);
                queuedStreams.put(streamId, request);
            } else {
                request.cut = Math.max(request.cut, cut);
            }
            CompletableFuture<Void> result = request.done;
            if (!running) {
                startNext(reason);
            }
            return result;
        }
    }

    private CompletableFuture<Void> uploadTo(long cut, String reason) {
        synchronized (this) {
            if (closed) {
                return closedFailure();
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

    /** Under the lock: starts the next waiting job, the one-stream requests first. */
    private void startNext(String reason) {
        CompletableFuture<Void> done;
        Supplier<CompletableFuture<Void>> job;
        if (!queuedStreams.isEmpty()) {
            Set<Long> streamIds = Set.copyOf(queuedStreams.keySet());
            long cut = queuedStreams.values().stream().mapToLong(request -> request.cut).max().orElseThrow();
            List<CompletableFuture<Void>> waiting = queuedStreams.values().stream().map(request -> request.done).toList();
            queuedStreams.clear();
            done = new CompletableFuture<>();
            done.whenComplete((v, error) -> waiting.forEach(future -> {
                if (error != null) {
                    future.completeExceptionally(error);
                } else {
                    future.complete(null);
                }
            }));
            LOG.debug("upload of streams {} to WAL position {} ({})", streamIds, cut, reason);
            job = () -> streamUploader.uploadTo(streamIds, cut);
        } else {
            long cut = queuedCut;
            done = queued;
            queued = null;
            queuedCut = -1;
            LOG.debug("upload to WAL position {} ({})", cut, reason);
            job = () -> uploader.uploadTo(cut);
        }
        running = true;
        current = done;
        executor.execute(() -> start(job).whenComplete((v, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(null);
            }
            synchronized (this) {
                running = false;
                current = null;
                if (closed) {
                    return;
                }
                if (queued == null && queuedStreams.isEmpty()) {
                    // Appends that passed the threshold while this job ran did not start an upload, and
                    // once the WAL is full no append will come to start one: look again now.
                    long confirmed = wal.confirmedPosition();
                    if (confirmed - wal.trimPosition() >= thresholdBytes) {
                        queued = new CompletableFuture<>();
                        queuedCut = confirmed;
                    }
                }
                if (queued != null || !queuedStreams.isEmpty()) {
                    startNext("queued");
                }
            }
        }));
    }

    private static CompletableFuture<Void> start(Supplier<CompletableFuture<Void>> job) {
        try {
            return job.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Stops uploading: the running job fails at its next step; waiting ones fail now. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> failing = new ArrayList<>();
        synchronized (this) {
            closed = true;
            failing.add(queued);
            failing.add(current);
            queuedStreams.values().forEach(request -> failing.add(request.done));
            queued = null;
            queuedStreams.clear();
        }
        rounds.stop();
        for (CompletableFuture<Void> future : failing) {
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

    private static CompletableFuture<Void> closedFailure() {
        return CompletableFuture.failedFuture(new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, "uploader closed"));
    }
}
