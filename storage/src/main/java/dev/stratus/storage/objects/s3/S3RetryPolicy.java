package dev.stratus.storage.objects.s3;

import dev.stratus.storage.objects.ObjectStorageErrorKind;

/**
 * When to try a failed S3 request again and how long to wait first: only {@code RETRIABLE}
 * failures (throttling, 5xx, timeouts, connection errors), at most {@code maxAttempts}
 * attempts in all, with exponential backoff and "equal jitter": before attempt {@code n + 1}
 * the wait is {@code cap/2 + random * cap/2} where {@code cap = min(maxBackoffMs, baseBackoffMs * 2^(n-1))}.
 * Half of each wait is fixed, so waits grow with every failure; the other half is random, so
 * that many clients throttled together do not come back together.
 *
 * <p>The SDK's own retries are switched off ({@code S3ClientFactory}): every attempt goes
 * through this policy and is counted. Immutable; the randomness is passed in, so the policy is
 * deterministic under test.
 *
 * @param maxAttempts   attempts per request, the first one included (1 = never retry)
 * @param baseBackoffMs wait before the second attempt (half fixed, half random)
 * @param maxBackoffMs  the most any one wait may be
 */
public record S3RetryPolicy(int maxAttempts, long baseBackoffMs, long maxBackoffMs) {

    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    public static final long DEFAULT_BASE_BACKOFF_MS = 100;
    public static final long DEFAULT_MAX_BACKOFF_MS = 10_000;

    public S3RetryPolicy {
        if (maxAttempts < 1 || baseBackoffMs < 1 || maxBackoffMs < baseBackoffMs) {
            throw new IllegalArgumentException("invalid retry policy: " + maxAttempts + " attempts, backoff "
                    + baseBackoffMs + ".." + maxBackoffMs + " ms");
        }
    }

    /** 10 attempts, 100 ms growing to 10 s: about 30 s of trying in all before a request fails. */
    public static S3RetryPolicy defaults() {
        return new S3RetryPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_BACKOFF_MS, DEFAULT_MAX_BACKOFF_MS);
    }

    /** Whether a request that has failed {@code failedAttempts} times with this kind of error is tried again. */
    public boolean shouldRetry(int failedAttempts, ObjectStorageErrorKind kind) {
        return kind == ObjectStorageErrorKind.RETRIABLE && failedAttempts < maxAttempts;
    }

    /**
     * The wait before the next attempt of a request that has failed {@code failedAttempts} (≥ 1)
     * times.
     *
     * @param random a uniform random number in [0, 1)
     */
    public long backoffMs(int failedAttempts, double random) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("no failed attempt yet");
        }
        int doublings = Math.min(failedAttempts - 1, 30);
        long cap = Math.min(maxBackoffMs, baseBackoffMs << doublings);
        if (cap < 0) {
            cap = maxBackoffMs;
        }
        long half = cap / 2;
        return half + (long) (Math.min(Math.max(random, 0), 1) * (cap - half));
    }
}
