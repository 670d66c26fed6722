package dev.stratus.storage.objects.s3;

import dev.stratus.storage.objects.ObjectStorageErrorKind;
import dev.stratus.storage.objects.ObjectStorageStats;
import dev.stratus.storage.objects.ObjectStorageStats.CallType;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one S3 request to its end: each attempt takes a permit from the {@link RequestLimiter},
 * is timed and counted in {@link ObjectStorageStats} (one call per HTTP request, with its bytes
 * and latency; failures and retries counted too), and a failed attempt is sorted by
 * {@link S3ErrorClassifier} and tried again after the {@link S3RetryPolicy}'s backoff while
 * the policy allows. The final failure is a {@link NoSuchFileException} for a missing key and an
 * {@link S3CallException} for everything else.
 *
 * <p>Threading: attempts start on the caller's thread, the scheduler thread (after a backoff
 * or a wait for a permit) or an SDK completion thread; nothing here blocks. Thread-safe.
 */
final class S3RequestRunner {

    private static final Logger LOG = LoggerFactory.getLogger(S3RequestRunner.class);

    private final RequestLimiter limiter;
    private final ScheduledExecutorService scheduler;
    private final ObjectStorageStats stats;
    private final DoubleSupplier random;

    S3RequestRunner(RequestLimiter limiter, ScheduledExecutorService scheduler, ObjectStorageStats stats, DoubleSupplier random) {
        this.limiter = limiter;
        this.scheduler = scheduler;
        this.stats = stats;
        this.random = random;
    }

    /**
     * One request.
     *
     * @param type        how the request is billed and counted
     * @param description what it is, for messages ({@code "PUT bucket/key"})
     * @param key         the object key, reported in the {@link NoSuchFileException} of a missing key; null if none
     * @param attempt     sends one attempt (called again for each retry)
     * @param bytesOf     bytes moved by a successful attempt
     * @param policy      when to retry
     */
    <T> CompletableFuture<T> call(CallType type, String description, String key, Supplier<CompletableFuture<T>> attempt,
                                  ToLongFunction<T> bytesOf, S3RetryPolicy policy) {
        CompletableFuture<T> result = new CompletableFuture<>();
        new Attempts<>(type, description, key, attempt, bytesOf, policy, result).next();
        return result;
    }

    /** The attempts of one request. */
    private final class Attempts<T> {
        private final CallType type;
        private final String description;
        private final String key;
        private final Supplier<CompletableFuture<T>> attempt;
        private final ToLongFunction<T> bytesOf;
        private final S3RetryPolicy policy;
        private final CompletableFuture<T> result;
        private int failures;

        Attempts(CallType type, String description, String key, Supplier<CompletableFuture<T>> attempt, ToLongFunction<T> bytesOf,
                 S3RetryPolicy policy, CompletableFuture<T> result) {
            this.type = type;
            this.description = description;
            this.key = key;
            this.attempt = attempt;
            this.bytesOf = bytesOf;
            this.policy = policy;
            this.result = result;
        }

        void next() {
            limiter.run(this::timedAttempt).whenComplete((value, error) -> {
                if (error == null) {
                    result.complete(value);
                } else {
                    failed(error);
                }
            });
        }

        private CompletableFuture<T> timedAttempt() {
            long startNs = System.nanoTime();
            CompletableFuture<T> sent;
            try {
                sent = attempt.get();
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            return sent.whenComplete((value, error) -> {
                long latencyNs = System.nanoTime() - startNs;
                if (error == null) {
                    stats.record(type, bytesOf.applyAsLong(value), latencyNs);
                } else {
                    stats.record(type, 0, latencyNs);
                    stats.recordError(type);
                }
            });
        }

        private void failed(Throwable error) {
            failures++;
            S3Failure failure = S3ErrorClassifier.classify(error);
            if (failure.cause() instanceof RequestLimiter.Overloaded overloaded) {
                // Never sent: the caller gets the back-pressure at once.
                result.completeExceptionally(overloaded);
                return;
            }
            if (policy.shouldRetry(failures, failure.kind())) {
                long backoffMs = policy.backoffMs(failures, random.getAsDouble());
                LOG.debug("{} failed ({}), attempt {} of {}; retrying in {} ms", description, failure.describe(), failures,
                        policy.maxAttempts(), backoffMs);
                stats.recordRetry(type);
                try {
                    scheduler.schedule(this::next, backoffMs, TimeUnit.MILLISECONDS);
                    return;
                } catch (RejectedExecutionException closed) {
                    // The store closed during the backoff: report the last failure.
                }
            }
            if (failure.kind() == ObjectStorageErrorKind.NOT_FOUND && key != null) {
                NoSuchFileException missing = new NoSuchFileException(key, null, description + ": " + failure.describe());
                missing.initCause(failure.cause());
                result.completeExceptionally(missing);
                return;
            }
            if (failures > 1 || failure.kind() != ObjectStorageErrorKind.PERMANENT) {
                LOG.warn("{} failed for good after {} attempt(s): {}", description, failures, failure.describe());
            }
            result.completeExceptionally(new S3CallException(description, failure, failures));
        }
    }
}
