package dev.stratus.storage.objects.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stratus.storage.objects.ObjectStorageErrorKind;
import org.junit.jupiter.api.Test;

class S3RetryPolicyTest {

    private final S3RetryPolicy policy = new S3RetryPolicy(5, 100, 1_000);

    @Test
    void waitsDoubleFromTheBaseUpToTheCapWithHalfOfEachWaitRandom() {
        // random = 0: the fixed half; random -> 1: the whole cap.
        assertThat(policy.backoffMs(1, 0)).isEqualTo(50);
        assertThat(policy.backoffMs(1, 0.999_999)).isEqualTo(99);
        assertThat(policy.backoffMs(2, 0)).isEqualTo(100);
        assertThat(policy.backoffMs(3, 0)).isEqualTo(200);
        assertThat(policy.backoffMs(4, 0.5)).isEqualTo(600);
        assertThat(policy.backoffMs(5, 0)).isEqualTo(500);
        assertThat(policy.backoffMs(50, 0)).isEqualTo(500);
        assertThat(policy.backoffMs(50, 0.999_999)).isLessThanOrEqualTo(1_000);
        for (int failures = 1; failures < 8; failures++) {
            assertThat(policy.backoffMs(failures + 1, 0)).isGreaterThanOrEqualTo(policy.backoffMs(failures, 0));
        }
    }

    @Test
    void onlyRetriableFailuresAreRetriedAndOnlyUpToTheAttemptBound() {
        assertThat(policy.shouldRetry(1, ObjectStorageErrorKind.RETRIABLE)).isTrue();
        assertThat(policy.shouldRetry(4, ObjectStorageErrorKind.RETRIABLE)).isTrue();
        assertThat(policy.shouldRetry(5, ObjectStorageErrorKind.RETRIABLE)).isFalse();
        assertThat(policy.shouldRetry(1, ObjectStorageErrorKind.NOT_FOUND)).isFalse();
        assertThat(policy.shouldRetry(1, ObjectStorageErrorKind.CONFIGURATION)).isFalse();
        assertThat(policy.shouldRetry(1, ObjectStorageErrorKind.PERMANENT)).isFalse();
        assertThat(new S3RetryPolicy(1, 1, 1).shouldRetry(1, ObjectStorageErrorKind.RETRIABLE)).isFalse();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new S3RetryPolicy(0, 100, 1_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new S3RetryPolicy(3, 100, 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy.backoffMs(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
