package dev.stratus.storage.objects.s3;

import dev.stratus.storage.objects.ObjectStorageErrorKind;
import dev.stratus.storage.objects.ObjectStorageException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Sorts what the SDK throws into {@link ObjectStorageErrorKind}s: which failures a retry can
 * cure (throttling such as {@code SlowDown}/503 and 429, any 5xx, {@code RequestTimeout},
 * timeouts and connection errors), which mean the key is missing, which need an operator
 * (missing bucket, access denied, bad credentials, wrong region, clock skew) and which are
 * bugs. Stateless.
 */
public final class S3ErrorClassifier {

    private static final Set<String> RETRIABLE_CODES = Set.of("SlowDown", "Throttling", "ThrottlingException",
            "ThrottledException", "RequestThrottled", "RequestThrottledException", "TooManyRequestsException",
            "RequestLimitExceeded", "BandwidthLimitExceeded", "ProvisionedThroughputExceededException",
            "TransactionInProgressException", "RequestTimeout", "RequestTimeoutException", "InternalError",
            "ServiceUnavailable", "PriorRequestNotComplete", "EC2ThrottledException", "OperationAborted", "ConditionalRequestConflict");

    /** Codes that say the credentials themselves are bad (unknown key, wrong secret, expired session). */
    static final Set<String> CREDENTIAL_CODES = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken",
            "InvalidToken", "TokenRefreshRequired", "InvalidSecurity", "AuthorizationHeaderMalformed");

    private static final Set<String> CONFIGURATION_CODES = Set.of("NoSuchBucket", "AccessDenied", "AllAccessDisabled",
            "AccountProblem", "PermanentRedirect", "IllegalLocationConstraintException", "RequestTimeTooSkewed",
            "InvalidBucketName", "NotSignedUp", "MissingSecurityHeader");

    private S3ErrorClassifier() {
    }

    public static S3Failure classify(Throwable error) {
        Throwable cause = ObjectStorageException.unwrap(error);
        if (cause instanceof SdkServiceException service) {
            int status = service.statusCode();
            String code = service instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                    ? aws.awsErrorDetails().errorCode() : null;
            if (code != null && code.isBlank()) {
                code = null;
            }
            return new S3Failure(kindOf(status, code, service), status, code, cause);
        }
        if (cause instanceof SdkClientException client) {
            return new S3Failure(isMissingCredentials(client) ? ObjectStorageErrorKind.CONFIGURATION : ObjectStorageErrorKind.RETRIABLE,
                    0, null, cause);
        }
        if (cause instanceof ObjectStorageException storage) {
            return new S3Failure(storage.kind(), 0, null, cause);
        }
        if (cause instanceof IOException || cause instanceof TimeoutException || cause instanceof RejectedExecutionException) {
            return new S3Failure(ObjectStorageErrorKind.RETRIABLE, 0, null, cause);
        }
        return new S3Failure(ObjectStorageErrorKind.PERMANENT, 0, null, cause);
    }

    private static ObjectStorageErrorKind kindOf(int status, String code, SdkServiceException service) {
        ObjectStorageErrorKind byCode = kindOfCode(code);
        if (byCode != ObjectStorageErrorKind.PERMANENT) {
            return byCode;
        }
        if (service.isThrottlingException() || status == 408 || status == 429 || status >= 500) {
            return ObjectStorageErrorKind.RETRIABLE;
        }
        if (status == 307) {
            // S3 redirects temporarily while a new bucket's DNS propagates.
            return ObjectStorageErrorKind.RETRIABLE;
        }
        if (status == 404 && code == null) {
            // HEAD answers have no body, so no code: a HEAD of a missing key.
            return ObjectStorageErrorKind.NOT_FOUND;
        }
        if (status == 301 || status == 401 || status == 403) {
            return ObjectStorageErrorKind.CONFIGURATION;
        }
        return ObjectStorageErrorKind.PERMANENT;
    }

    /** The kind of an error code alone (per-key errors of DeleteObjects carry no status). */
    static ObjectStorageErrorKind kindOfCode(String code) {
        if (code == null) {
            return ObjectStorageErrorKind.PERMANENT;
        }
        if (RETRIABLE_CODES.contains(code)) {
            return ObjectStorageErrorKind.RETRIABLE;
        }
        if (code.equals("NoSuchKey")) {
            return ObjectStorageErrorKind.NOT_FOUND;
        }
        if (CREDENTIAL_CODES.contains(code) || CONFIGURATION_CODES.contains(code)) {
            return ObjectStorageErrorKind.CONFIGURATION;
        }
        return ObjectStorageErrorKind.PERMANENT;
    }

    private static boolean isMissingCredentials(SdkClientException error) {
        String message = error.getMessage();
        return message != null && message.contains("Unable to load credentials");
    }
}
