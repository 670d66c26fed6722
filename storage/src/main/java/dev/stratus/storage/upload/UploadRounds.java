package dev.stratus.storage.upload;

import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the rounds of one upload job until a round says the job is done. A failed round is
 * retried from scratch after an exponential backoff (the metadata store decides what is already
 * committed, so a retry never commits twice); a failure is never reported as a success. Once
 * {@link #stop()}ped, the next round fails the job instead of running.
 *
 * <p>Threading: rounds start on the upload executor ({@code stratus-uploader}), one job at a
 * time, as arranged by {@link UploadAgent}; {@link #stop()} may be called from any thread.
 */
final class UploadRounds {

    /** One round of a job: completes with true when the job is done, false when another round should follow. */
    @FunctionalInterface
    interface Round {
        CompletableFuture<Boolean> run();
    }

    private static final Logger LOG = LoggerFactory.getLogger(UploadRounds.class);
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 10_000;

    private final ScheduledExecutorService executor;
    private volatile boolean stopped;

    UploadRounds(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    void stop() {
        stopped = true;
    }

    /** Runs {@code round} until it reports done. Call on the upload executor. */
    CompletableFuture<Void> run(Round round) {
        return next(round, 0);
    }

    private CompletableFuture<Void> next(Round round, int failures) {
        if (stopped) {
            return CompletableFuture.failedFuture(new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, "uploader stopped"));
        }
        CompletableFuture<Boolean> attempt;
        try {
            attempt = round.run();
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        return attempt.handleAsync((done, error) -> {
            if (error == null) {
                return done ? CompletableFuture.<Void>completedFuture(null) : next(round, 0);
            }
            long backoffMs = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(failures, 16));
            LOG.warn("upload failed (attempt {}), retrying in {} ms: {}", failures + 1, backoffMs,
                    UploadCommitter.unwrap(error).toString());
            CompletableFuture<Void> retry = new CompletableFuture<>();
            executor.schedule(() -> {
                next(round, failures + 1).whenComplete((v, e) -> {
                    if (e != null) {
                        retry.completeExceptionally(e);
                    } else {
                        retry.complete(null);
                    }
                });
            }, backoffMs, TimeUnit.MILLISECONDS);
            return retry;
        }, executor).thenCompose(next -> next);
    }
}
