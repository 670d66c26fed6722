package dev.stratus.storage.objects.s3;

import static dev.stratus.storage.objects.s3.S3ObjectStorageTest.assertSameBytes;
import static dev.stratus.storage.objects.s3.S3ObjectStorageTest.catchFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stratus.storage.objects.ObjectStorageStats;
import dev.stratus.storage.objects.ObjectStorageStats.CallType;
import dev.stratus.storage.objects.ObjectWriter;
import dev.stratus.storage.testing.FaultInjectingS3Proxy;
import dev.stratus.storage.testing.FaultInjectingS3Proxy.Fault;
import dev.stratus.storage.testing.S3ProxyFixture;
import dev.stratus.storage.testing.TestBytes;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.nio.file.NoSuchFileException;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * {@link S3ObjectStorage#writer}: an object streamed to s3proxy in pieces, with parts of S3's
 * smallest size (5 MiB) to keep the objects small: one {@code PutObject} within a part, a
 * multipart upload beyond, never visible before completion, aborted without a trace.
 */
class S3ObjectWriterTest {

    @RegisterExtension
    static final S3ProxyFixture S3 = new S3ProxyFixture();

    private static final int PART = (int) S3Config.MIN_PART_SIZE_BYTES;
    private static final int PIECE = 1_000_000;

    private String bucket;
    private S3ObjectStorage storage;

    @BeforeEach
    void setUp() {
        bucket = S3.createBucket();
        storage = S3ObjectStorage.open(S3.config(bucket).withPartSizeBytes(PART));
    }

    @AfterEach
    void tearDown() {
        storage.close();
    }



    /** Requests sent, retries not counted. */
    private static long requests(ObjectStorageStats stats, CallType type) {
        return stats.calls(type) - stats.retries(type);
    }


    /** Multipart uploads begun and neither completed nor aborted, asked of s3proxy through its own client. */
    private List<MultipartUpload> openUploads() {
        try (S3Client client = S3ClientFactory.create(S3.config(bucket))) {
            return client.sdk().listMultipartUploads(b -> b.bucket(bucket)).join().uploads();
        }
    }

    @Test
    void anObjectWithinOnePartIsOnePutObject() {
        byte[] data = TestBytes.random(3 * PIECE + 123, 1);
        ObjectWriter writer = storage.writer("objects/00/small");
        TestBytes.writeInPieces(writer, data, 0, data.length, PIECE, 2);
        writer.complete().join();

        assertThat(requests(storage.stats(), CallType.PUT)).isEqualTo(1);
        assertThat(storage.stats().bytes(CallType.PUT)).isEqualTo(data.length);
        assertSameBytes(TestBytes.of(storage.rangeRead("objects/00/small", 0, data.length).join()), data);
    }

    @Test
    void anObjectOfExactlyOnePartIsStillOnePutObject() {
        byte[] data = TestBytes.random(PART, 2);
        ObjectWriter writer = storage.writer("objects/00/one-part");
        TestBytes.writeInPieces(writer, data, 0, data.length, PIECE, 2);
        writer.complete().join();

        assertThat(requests(storage.stats(), CallType.PUT)).isEqualTo(1);
        assertThat(storage.size("objects/00/one-part").join()).isEqualTo((long) PART);
    }

    @Test
    void aLargerObjectGoesUpAsPartsAndReadsBackWhole() {
        byte[] data = TestBytes.random(2 * PART + 12_345, 3);
        ObjectWriter writer = storage.writer("objects/01/big");
        TestBytes.writeInPieces(writer, data, 0, data.length, PIECE, 2);
        writer.complete().join();

        // Create, three parts (5 MiB, 5 MiB, 12,345 bytes), complete.
        assertThat(requests(storage.stats(), CallType.PUT)).isEqualTo(5);
        assertThat(storage.stats().bytes(CallType.PUT)).isEqualTo(data.length);
        assertThat(writer.bytesWritten()).isEqualTo(data.length);
        assertThat(storage.size("objects/01/big").join()).isEqualTo((long) data.length);
        assertSameBytes(TestBytes.of(storage.rangeRead("objects/01/big", 0, data.length).join()), data);
        assertThat(TestBytes.of(storage.rangeRead("objects/01/big", PART - 10, PART + 10).join()))
                .isEqualTo(java.util.Arrays.copyOfRange(data, PART - 10, PART + 10));
        assertThat(openUploads()).isEmpty();
    }

    @Test
    void aStreamedObjectKeepsAtMostTwoPartsInFlight() {
        byte[] data = TestBytes.random(4 * PART, 4);
        ObjectWriter writer = storage.writer("objects/02/four-parts");
        TestBytes.writeInPieces(writer, data, 0, data.length, PIECE, 2);
        writer.complete().join();

        assertThat(storage.peakInflightRequests()).isLessThanOrEqualTo(2);
        // Two parts uploading and one filling.
        assertThat(writer.maxBufferedBytes()).isEqualTo(3L * PART);
        assertSameBytes(TestBytes.of(storage.rangeRead("objects/02/four-parts", 0, data.length).join()), data);
    }

    @Test
    void nothingIsVisibleBeforeComplete() throws Exception {
        byte[] data = TestBytes.random(2 * PART + PART / 2, 5);
        ObjectWriter writer = storage.writer("objects/03/pending");
        TestBytes.writeInPieces(writer, data, 0, data.length, PIECE, 2);
        await("the first two parts are uploaded").atMost(Duration.ofSeconds(10)).until(() -> storage.stats().bytes(CallType.PUT) >= 2L * PART);

        // (s3proxy keeps a stub blob for each open multipart upload; it is not under the object's key.)
        assertThat(S3.keys(bucket)).doesNotContain("objects/03/pending");
        assertThat(storage.list("objects/").join()).isEmpty();
        assertThat(catchFailure(storage.size("objects/03/pending"))).isInstanceOf(NoSuchFileException.class);

        writer.complete().join();
        assertThat(S3.keys(bucket)).containsExactly("objects/03/pending");
    }

    @Test
    void abortAfterSomePartsLeavesNoObjectAndNoUpload() throws Exception {
        byte[] data = TestBytes.random(2 * PART + PART / 2, 6);
        ObjectWriter writer = storage.writer("objects/04/aborted");
        TestBytes.writeInPieces(writer, data, 0, data.length, PIECE, 2);
        await("a part is uploaded").atMost(Duration.ofSeconds(10)).until(() -> storage.stats().bytes(CallType.PUT) >= PART);
        assertThat(openUploads()).hasSize(1);

        writer.abort().join();

        assertThat(S3.keys(bucket)).isEmpty();
        assertThat(openUploads()).isEmpty();
        assertThat(requests(storage.stats(), CallType.DELETE)).isEqualTo(1);
        assertThat(catchFailure(writer.complete())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aWriteBeyondTenThousandPartsFailsBeforeSendingAnything() {
        ByteBuffer piece = ByteBuffer.allocate(PIECE);
        // 10,000 parts of 5 MiB hold 52,428,800,000 bytes; 52,429 pieces of 1,000,000 bytes are more.
        List<ByteBuffer> pieces = Collections.nCopies(52_429, piece);
        ObjectWriter writer = storage.writer("objects/05/huge");

        Throwable error = catchFailure(writer.write(pieces));

        assertThat(error).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10000 parts");
        assertThat(storage.stats().calls(CallType.PUT)).isZero();
    }

    @Test
    void aPartFailingWithSlowDownIsRetriedAndTheObjectCompletes() throws Exception {
        try (FaultInjectingS3Proxy proxy = FaultInjectingS3Proxy.start(S3.endpoint());
             S3ObjectStorage faulty = S3ObjectStorage.open(S3.config(bucket, proxy.endpoint()).withPartSizeBytes(PART)
                     .withRetry(new S3RetryPolicy(40, 20, 100)))) {
            byte[] data = TestBytes.random(2 * PART + 1, 7);
            ObjectWriter writer = faulty.writer("objects/06/retried");
            TestBytes.writeInPieces(writer, data, 0, PART + 1, PIECE, 2);
            await("the upload is created and its first part uploaded").atMost(Duration.ofSeconds(10)).until(() -> faulty.stats().calls(CallType.PUT) == 2 && faulty.inflightRequests() == 0);

            proxy.inject(Fault.SLOW_DOWN_503);
            // Fills the second part and sends it (the byte after it shows it is full).
            TestBytes.writeInPieces(writer, data, PART + 1, data.length, PIECE, 2);
            await("the second part was refused three times").atMost(Duration.ofSeconds(10)).until(() -> faulty.stats().errors(CallType.PUT) >= 3);
            proxy.heal();
            writer.complete().get(10, TimeUnit.SECONDS);

            assertThat(faulty.stats().retries(CallType.PUT)).isGreaterThanOrEqualTo(3);
            // Create, three parts, complete: the retries are extra attempts of the second part.
            assertThat(requests(faulty.stats(), CallType.PUT)).isEqualTo(5);
            assertSameBytes(TestBytes.of(storage.rangeRead("objects/06/retried", 0, data.length).join()), data);
        }
    }

    @Test
    void aWriteWaitsWhileTwoPartsAreInFlight() throws Exception {
        try (FaultInjectingS3Proxy proxy = FaultInjectingS3Proxy.start(S3.endpoint());
             S3ObjectStorage stalling = S3ObjectStorage.open(S3.config(bucket, proxy.endpoint()).withPartSizeBytes(PART)
                     .withRetry(new S3RetryPolicy(40, 20, 100)))) {
            byte[] data = TestBytes.random(3 * PART + 1, 8);
            ObjectWriter writer = stalling.writer("objects/07/window");
            writer.write(List.of(ByteBuffer.wrap(data, 0, PART + 1))).join();
            await("the upload is created and its first part uploaded").atMost(Duration.ofSeconds(10)).until(() -> stalling.stats().calls(CallType.PUT) == 2 && stalling.inflightRequests() == 0);

            proxy.inject(Fault.STALL);
            // The second part goes out (one in flight, room for another)...
            writer.write(List.of(ByteBuffer.wrap(data, PART + 1, PART))).get(5, TimeUnit.SECONDS);
            // ...the third one too, but then two parts are in flight and the writer holds a third: no room.
            CompletableFuture<Void> third = writer.write(List.of(ByteBuffer.wrap(data, 2 * PART + 1, PART)));
            Thread.sleep(300);
            assertThat(third).isNotDone();

            proxy.heal();
            third.get(10, TimeUnit.SECONDS);
            writer.complete().get(10, TimeUnit.SECONDS);
            assertSameBytes(TestBytes.of(storage.rangeRead("objects/07/window", 0, data.length).join()), data);
        }
    }
}
