package dev.stratus.storage.objects.s3;

import dev.stratus.storage.objects.ObjectStorageErrorKind;
import dev.stratus.storage.objects.ObjectStorageException;

/**
 * The S3 startup check found a problem; {@link #problem()} says which, the message says how to
 * fix it. Startup stops on it.
 */
public final class S3StartupCheckException extends ObjectStorageException {

    /** What the check found. */
    public enum Problem {
        /** The bucket does not exist. */
        BUCKET_MISSING,
        /** The access key is unknown, the secret key is wrong, or the session token expired. */
        BAD_CREDENTIALS,
        /** No credentials were configured and the AWS default chain found none. */
        NO_CREDENTIALS,
        /** The credentials are valid but may not do what Stratus needs in the bucket. */
        ACCESS_DENIED,
        /** The bucket lives in another region than {@code s3.region}. */
        WRONG_REGION,
        /** Nothing answered at the endpoint (connection refused, unknown host, timeout). */
        ENDPOINT_UNREACHABLE,
        /** Something answered, but not like an S3 API. */
        NOT_S3,
        /** The local clock is too far from the store's for signatures to be accepted. */
        CLOCK_SKEW,
        /** The probe object came back different from what was written. */
        READ_BACK_MISMATCH,
        /** Anything else; the message carries S3's answer. */
        OTHER
    }

    private final Problem problem;

    S3StartupCheckException(Problem problem, String message, Throwable cause) {
        super(problem == Problem.OTHER || problem == Problem.ENDPOINT_UNREACHABLE
                ? ObjectStorageErrorKind.RETRIABLE : ObjectStorageErrorKind.CONFIGURATION, message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
