package dev.stratus.storage.objects.s3;

import dev.stratus.storage.objects.ObjectStorageErrorKind;
import dev.stratus.storage.objects.ObjectStorageException;
import dev.stratus.storage.objects.s3.S3StartupCheckException.Problem;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The startup check of an {@link S3ObjectStorage}: proves, with four cheap requests, that the
 * node can do its job in the bucket before it accepts a single record, and turns the first
 * failure into a message that says what is wrong and how to fix it:
 * <ol>
 *   <li>{@code ListObjectsV2} (one key) of the probe prefix: the endpoint answers like S3, the
 *       bucket exists, the credentials are valid and may list;</li>
 *   <li>{@code PutObject} of a small probe object under {@value #PROBE_PREFIX};</li>
 *   <li>{@code GetObject} of it, compared byte for byte;</li>
 *   <li>{@code DeleteObjects} of it.</li>
 * </ol>
 * Requests are retried briefly ({@link #POLICY}): a store that is down at startup is reported
 * within seconds rather than after the full retry budget. Used once, from the starting thread.
 */
final class S3StartupCheck {

    /** Where probe objects go; nothing else lives under it. */
    static final String PROBE_PREFIX = "_stratus/startup-check/";
    static final S3RetryPolicy POLICY = new S3RetryPolicy(3, 100, 1_000);

    private final S3ObjectStorage storage;
    private final S3Config config;

    S3StartupCheck(S3ObjectStorage storage) {
        this.storage = storage;
        this.config = storage.config();
    }

    CompletableFuture<Void> run() {
        String probeKey = PROBE_PREFIX + UUID.randomUUID();
        byte[] probe = new byte[64];
        ThreadLocalRandom.current().nextBytes(probe);
        return step("list", storage.listPage(PROBE_PREFIX, null, 1, POLICY))
                .thenCompose(v -> step("write", storage.putSmall(probeKey, probe, POLICY)))
                .thenCompose(v -> step("read", storage.getSmall(probeKey, POLICY)))
                .thenCompose(read -> {
                    if (!Arrays.equals(read, probe)) {
                        throw new CompletionException(new S3StartupCheckException(Problem.READ_BACK_MISMATCH,
                                "S3 check failed: the probe object " + probeKey + " in bucket '" + config.bucket() + "' at "
                                        + config.describeEndpoint() + " came back different from what was written ("
                                        + read.length + " bytes instead of " + probe.length + "). The store does not keep "
                                        + "what it is given: check the endpoint is a real S3 store and no proxy rewrites bodies.",
                                null));
                    }
                    return step("delete", storage.deleteBatch(List.of(probeKey), POLICY));
                })
                .thenApply(v -> null);
    }

    private <T> CompletableFuture<T> step(String name, CompletableFuture<T> request) {
        return request.exceptionallyCompose(error -> {
            Throwable cause = ObjectStorageException.unwrap(error);
            if (cause instanceof S3StartupCheckException) {
                return CompletableFuture.failedFuture(cause);
            }
            return CompletableFuture.failedFuture(explain(name, cause));
        });
    }

    /** Turns the failure of one step into a problem and a message an operator can act on. */
    S3StartupCheckException explain(String step, Throwable cause) {
        String where = "bucket '" + config.bucket() + "' at " + config.describeEndpoint() + " (region " + config.region() + ")";
        String credentials = config.staticCredentials()
                ? "s3.access.key (" + config.accessKey() + ") and s3.secret.key"
                : "the AWS default chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, or an instance/pod role)";
        if (cause instanceof NoSuchFileException) {
            return new S3StartupCheckException(Problem.READ_BACK_MISMATCH, "S3 check failed: the probe object just written to "
                    + where + " cannot be read back (" + cause.getMessage() + "). The store does not keep what it acknowledges.", cause);
        }
        if (!(cause instanceof S3CallException call)) {
            return new S3StartupCheckException(Problem.OTHER, "S3 check failed at step '" + step + "' on " + where + ": " + cause, cause);
        }
        S3Failure failure = call.failure();
        String answer = failure.describe();
        String code = failure.code() == null ? "" : failure.code();
        if (code.equals("NoSuchBucket")) {
            return new S3StartupCheckException(Problem.BUCKET_MISSING, "S3 bucket '" + config.bucket() + "' does not exist at "
                    + config.describeEndpoint() + ". Create it (e.g. `aws s3 mb s3://" + config.bucket() + " --region "
                    + config.region() + "`" + (config.endpoint() != null ? " --endpoint-url " + config.endpoint() : "")
                    + ") or set s3.bucket to an existing bucket.", call);
        }
        if (S3ErrorClassifier.CREDENTIAL_CODES.contains(code) && !code.equals("AuthorizationHeaderMalformed")) {
            return new S3StartupCheckException(Problem.BAD_CREDENTIALS, "S3 rejected the credentials from " + credentials + " ("
                    + code + "): the access key is unknown, the secret key is wrong, or the session expired. Set a valid key pair"
                    + (config.staticCredentials() ? " in s3.access.key and s3.secret.key" : " (or set s3.access.key and s3.secret.key)")
                    + ".", call);
        }
        if (code.equals("PermanentRedirect") || code.equals("AuthorizationHeaderMalformed") || failure.status() == 301) {
            return new S3StartupCheckException(Problem.WRONG_REGION, "S3 bucket '" + config.bucket() + "' is not in region "
                    + config.region() + " (S3 answered " + answer + "). Set s3.region to the bucket's region.", call);
        }
        if (code.equals("RequestTimeTooSkewed")) {
            return new S3StartupCheckException(Problem.CLOCK_SKEW, "S3 at " + config.describeEndpoint() + " rejected the request "
                    + "because this machine's clock is off (" + answer + "). Synchronise the clock (NTP).", call);
        }
        if (code.equals("AccessDenied") || code.equals("AllAccessDisabled") || failure.status() == 403) {
            return new S3StartupCheckException(Problem.ACCESS_DENIED, "S3 denied access to " + where + " at step '" + step
                    + "' (" + answer + "). The credentials from " + credentials + " are valid but need s3:ListBucket on "
                    + "arn:aws:s3:::" + config.bucket() + " and s3:PutObject, s3:GetObject, s3:DeleteObject and "
                    + "s3:AbortMultipartUpload on arn:aws:s3:::" + config.bucket() + "/*.", call);
        }
        if (failure.kind() == ObjectStorageErrorKind.CONFIGURATION && failure.status() == 0) {
            return new S3StartupCheckException(Problem.NO_CREDENTIALS, "No S3 credentials: " + failure.describe()
                    + ". Set s3.access.key and s3.secret.key, or provide credentials through the AWS default chain "
                    + "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, or an instance/pod role).", call);
        }
        if (failure.status() == 0) {
            Throwable root = rootCause(failure.cause());
            String hint = root instanceof UnknownHostException && !config.pathStyleAccess() && config.endpoint() != null
                    ? " With virtual-hosted addressing the host is '" + config.bucket() + "." + config.endpoint().getHost()
                    + "': most S3-compatible stores need s3.path.style.access=true." : "";
            return new S3StartupCheckException(Problem.ENDPOINT_UNREACHABLE, "Cannot reach S3 at " + config.describeEndpoint()
                    + " (" + (root instanceof ConnectException || root instanceof UnknownHostException ? root.toString() : answer)
                    + "). Check s3.endpoint (scheme, host and port) and that the store is running and reachable." + hint, call);
        }
        if (code.isEmpty() && failure.status() < 500) {
            return new S3StartupCheckException(Problem.NOT_S3, "The endpoint " + config.describeEndpoint() + " answered HTTP "
                    + failure.status() + " without an S3 error at step '" + step + "'. Check that s3.endpoint points at the S3 API"
                    + (config.pathStyleAccess() ? "" : " and whether the store needs s3.path.style.access=true") + ".", call);
        }
        return new S3StartupCheckException(Problem.OTHER, "S3 check failed at step '" + step + "' on " + where + ": " + answer, call);
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
