package dev.stratus.storage.objects.s3;

import static dev.stratus.storage.objects.s3.S3ObjectStorageTest.assertSameBytes;
import static dev.stratus.storage.objects.s3.S3ObjectStorageTest.catchFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.storage.objects.ObjectStorageErrorKind;
import dev.stratus.storage.objects.ObjectStorageStats.CallType;
import dev.stratus.storage.testing.FaultInjectingS3Proxy;
import dev.stratus.storage.testing.FaultInjectingS3Proxy.Fault;
import dev.stratus.storage.testing.S3ProxyFixture;
import dev.stratus.storage.testing.TestBytes;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link S3ObjectStorage} through a {@link FaultInjectingS3Proxy} in front of s3proxy: while the
 * store answers 503 SlowDown, 500 or nothing at all, requests wait and retry with backoff (each
 * attempt counted), and complete once it recovers; nothing is visible before it is written.
 */
class S3ObjectStorageFaultsTest {

    @RegisterExtension
    static final S3ProxyFixture S3 = new S3ProxyFixture();

    /** Patient enough to outlast the faults below (about 4 s of retrying), quick to notice recovery. */
    private static final S3RetryPolicy PATIENT = new S3RetryPolicy(40, 20, 100);

    private FaultInjectingS3Proxy proxy;
    private String bucket;

    @BeforeEach
    void setUp() throws Exception {
        proxy = FaultInjectingS3Proxy.start(S3.endpoint());
        bucket = S3.createBucket();
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
    }

    private S3ObjectStorage storage(S3RetryPolicy retry, long requestTimeoutMs) {
        return S3ObjectStorage.open(S3.config(bucket, proxy.endpoint()).withRetry(retry).withRequestTimeoutMs(requestTimeoutMs)
                .withPartSizeBytes(S3Config.MIN_PART_SIZE_BYTES));
    }



    @Test
    void writesWaitThroughSlowDownAndCompleteWhenItStops() throws Exception {
        try (S3ObjectStorage storage = storage(PATIENT, 10_000)) {
            byte[] small = TestBytes.random(20_000, 1);
            byte[] large = TestBytes.random((int) S3Config.MIN_PART_SIZE_BYTES + 70_000, 2);
            proxy.inject(Fault.SLOW_DOWN_503);
            CompletableFuture<Void> smallPut = storage.put("objects/00/small", ByteBuffer.wrap(small));
            CompletableFuture<Void> largePut = storage.put("objects/00/large", ByteBuffer.wrap(large));
            Thread.sleep(600);

            assertThat(smallPut).isNotDone();
            assertThat(largePut).isNotDone();
            assertThat(S3.keys(bucket)).isEmpty();
            assertThat(storage.stats().retries(CallType.PUT)).isGreaterThanOrEqualTo(2);
            assertThat(storage.stats().errors(CallType.PUT)).isGreaterThanOrEqualTo(2);

            proxy.heal();
            smallPut.get(10, TimeUnit.SECONDS);
            largePut.get(10, TimeUnit.SECONDS);
            assertThat(S3.keys(bucket)).containsExactlyInAnyOrder("objects/00/small", "objects/00/large");
            assertSameBytes(TestBytes.of(storage.rangeRead("objects/00/small", 0, small.length).join()), small);
            assertSameBytes(TestBytes.of(storage.rangeRead("objects/00/large", 0, large.length).join()), large);
        }
    }

    @Test
    void readsAndListsRetryThroughInternalErrors() throws Exception {
        try (S3ObjectStorage storage = storage(PATIENT, 10_000)) {
            byte[] data = TestBytes.random(5_000, 3);
            storage.put("objects/01/a", ByteBuffer.wrap(data)).join();
            proxy.inject(Fault.INTERNAL_ERROR_500);
            CompletableFuture<ByteBuffer> read = storage.rangeRead("objects/01/a", 10, 4_010);
            CompletableFuture<Long> size = storage.size("objects/01/a");
            CompletableFuture<java.util.List<String>> list = storage.list("objects/");
            Thread.sleep(400);
            assertThat(read).isNotDone();
            assertThat(size).isNotDone();
            assertThat(list).isNotDone();

            proxy.heal();
            assertSameBytes(TestBytes.of(read.get(10, TimeUnit.SECONDS)), java.util.Arrays.copyOfRange(data, 10, 4_010));
            assertThat(size.get(10, TimeUnit.SECONDS)).isEqualTo(5_000L);
            assertThat(list.get(10, TimeUnit.SECONDS)).containsExactly("objects/01/a");
            assertThat(storage.stats().retries(CallType.GET)).isPositive();
            assertThat(storage.stats().retries(CallType.HEAD)).isPositive();
            assertThat(storage.stats().retries(CallType.LIST)).isPositive();
        }
    }

    @Test
    void stalledRequestsTimeOutAndAreRetried() throws Exception {
        try (S3ObjectStorage storage = storage(PATIENT, 300)) {
            proxy.inject(Fault.STALL);
            CompletableFuture<Void> put = storage.put("objects/02/stalled", ByteBuffer.wrap(TestBytes.random(1_000, 4)));
            Thread.sleep(900);
            assertThat(put).isNotDone();
            assertThat(storage.stats().retries(CallType.PUT)).isGreaterThanOrEqualTo(1);
            // A stalled attempt holds its in-flight slot only until its timeout.
            assertThat(storage.inflightRequests()).isLessThanOrEqualTo(1);

            proxy.heal();
            put.get(10, TimeUnit.SECONDS);
            assertThat(S3.keys(bucket)).containsExactly("objects/02/stalled");
        }
    }

    @Test
    void retriesStopAtThePolicysBoundAndEveryAttemptIsCountedOnce() {
        try (S3ObjectStorage storage = storage(new S3RetryPolicy(3, 10, 20), 10_000)) {
            proxy.inject(Fault.SLOW_DOWN_503);
            Throwable error = catchFailure(storage.put("objects/03/never", ByteBuffer.wrap(new byte[100])));

            assertThat(error).isInstanceOf(S3CallException.class).hasMessageContaining("SlowDown");
            S3CallException call = (S3CallException) error;
            assertThat(call.kind()).isEqualTo(ObjectStorageErrorKind.RETRIABLE);
            assertThat(call.attempts()).isEqualTo(3);
            // The SDK retries nothing behind our back: three attempts, three requests seen by the store.
            assertThat(proxy.faultedRequests()).isEqualTo(3);
            assertThat(storage.stats().calls(CallType.PUT)).isEqualTo(3);
            assertThat(storage.stats().errors(CallType.PUT)).isEqualTo(3);
            assertThat(storage.stats().retries(CallType.PUT)).isEqualTo(2);
            assertThat(S3.keys(bucket)).isEmpty();
        }
    }
}
