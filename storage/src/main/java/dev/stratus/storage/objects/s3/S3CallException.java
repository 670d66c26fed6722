package dev.stratus.storage.objects.s3;

import dev.stratus.storage.objects.ObjectStorageException;

/**
 * An S3 request that failed for good: not retriable, or still failing after every attempt the
 * retry policy allows. Carries the last {@link S3Failure} (HTTP status and S3 error code) for
 * callers that act on the code, such as the startup check.
 */
public final class S3CallException extends ObjectStorageException {

    private final transient S3Failure failure;
    private final int attempts;

    S3CallException(String request, S3Failure failure, int attempts) {
        super(failure.kind(), request + " failed" + (attempts > 1 ? " after " + attempts + " attempts" : "") + ": "
                + failure.describe(), failure.cause());
        this.failure = failure;
        this.attempts = attempts;
    }

    public S3Failure failure() {
        return failure;
    }

    public int attempts() {
        return attempts;
    }
}
