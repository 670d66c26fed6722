package dev.stratus.storage.objects.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.storage.objects.ObjectStorageErrorKind;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ErrorClassifierTest {

    private static S3Exception answer(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("test").build()).build();
    }

    private static ObjectStorageErrorKind kind(Throwable error) {
        return S3ErrorClassifier.classify(new CompletionException(error)).kind();
    }

    @Test
    void throttlingServerErrorsAndTimeoutsAreRetriable() {
        assertThat(kind(answer(503, "SlowDown"))).isEqualTo(ObjectStorageErrorKind.RETRIABLE);
        assertThat(kind(answer(500, "InternalError"))).isEqualTo(ObjectStorageErrorKind.RETRIABLE);
        assertThat(kind(answer(502, null))).isEqualTo(ObjectStorageErrorKind.RETRIABLE);
        assertThat(kind(answer(429, null))).isEqualTo(ObjectStorageErrorKind.RETRIABLE);
        assertThat(kind(answer(400, "RequestTimeout"))).isEqualTo(ObjectStorageErrorKind.RETRIABLE);
        assertThat(kind(ApiCallAttemptTimeoutException.create(1_000))).isEqualTo(ObjectStorageErrorKind.RETRIABLE);
        assertThat(kind(SdkClientException.create("Unable to execute HTTP request", new ConnectException("refused"))))
                .isEqualTo(ObjectStorageErrorKind.RETRIABLE);
        assertThat(kind(new IOException("reset"))).isEqualTo(ObjectStorageErrorKind.RETRIABLE);
    }

    @Test
    void missingKeysAreNotFoundButMissingBucketsNeedAnOperator() {
        assertThat(kind(answer(404, "NoSuchKey"))).isEqualTo(ObjectStorageErrorKind.NOT_FOUND);
        assertThat(kind(answer(404, null))).isEqualTo(ObjectStorageErrorKind.NOT_FOUND);
        assertThat(kind(answer(404, "NoSuchBucket"))).isEqualTo(ObjectStorageErrorKind.CONFIGURATION);
    }

    @Test
    void credentialsPermissionsAndRegionNeedAnOperator() {
        for (String code : new String[] {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken"}) {
            assertThat(kind(answer(403, code))).as(code).isEqualTo(ObjectStorageErrorKind.CONFIGURATION);
        }
        assertThat(kind(answer(403, null))).isEqualTo(ObjectStorageErrorKind.CONFIGURATION);
        assertThat(kind(answer(301, "PermanentRedirect"))).isEqualTo(ObjectStorageErrorKind.CONFIGURATION);
        assertThat(kind(answer(400, "AuthorizationHeaderMalformed"))).isEqualTo(ObjectStorageErrorKind.CONFIGURATION);
        assertThat(kind(SdkClientException.create("Unable to load credentials from any of the providers")))
                .isEqualTo(ObjectStorageErrorKind.CONFIGURATION);
    }

    @Test
    void badRequestsAreBugs() {
        assertThat(kind(answer(416, "InvalidRange"))).isEqualTo(ObjectStorageErrorKind.PERMANENT);
        assertThat(kind(answer(400, "InvalidArgument"))).isEqualTo(ObjectStorageErrorKind.PERMANENT);
        assertThat(kind(answer(404, "NoSuchUpload"))).isEqualTo(ObjectStorageErrorKind.PERMANENT);
        assertThat(kind(new IllegalStateException("bug"))).isEqualTo(ObjectStorageErrorKind.PERMANENT);
    }

    @Test
    void describesWhatS3Said() {
        S3Failure failure = S3ErrorClassifier.classify(answer(503, "SlowDown"));
        assertThat(failure.status()).isEqualTo(503);
        assertThat(failure.code()).isEqualTo("SlowDown");
        assertThat(failure.describe()).startsWith("SlowDown (HTTP 503)");
    }
}
