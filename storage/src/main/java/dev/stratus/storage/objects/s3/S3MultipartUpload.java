package dev.stratus.storage.objects.s3;

import dev.stratus.storage.objects.ObjectStorageException;
import dev.stratus.storage.objects.ObjectStorageStats.CallType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One multipart upload of one object: {@code CreateMultipartUpload}, the parts (at most
 * {@link #PARTS_IN_FLIGHT} at once, each retried on its own), then
 * {@code CompleteMultipartUpload}; on failure an {@code AbortMultipartUpload} so that no
 * invisible parts stay billed. The object becomes visible only when the completion succeeds.
 *
 * <p>Checksums: the upload is created with CRC32 (the SDK's default algorithm), every part
 * carries its CRC32 and the completion lists them, as S3 requires once an upload has a
 * checksum algorithm.
 *
 * <p>An ambiguous completion (the first attempt timed out or failed with a 5xx after S3 may
 * have finished it) can make a retry answer {@code NoSuchUpload}; the object is then checked
 * with a HEAD: the right size means the first attempt did complete.
 *
 * <p>Threading: steps run on SDK completion threads and the store's scheduler; the part
 * bookkeeping is guarded by this object's lock. Used once.
 */
final class S3MultipartUpload {

    private static final Logger LOG = LoggerFactory.getLogger(S3MultipartUpload.class);

    /** Parts of one object uploaded at the same time. */
    static final int PARTS_IN_FLIGHT = 4;

    private final S3AsyncClient client;
    private final S3RequestRunner runner;
    private final S3Config config;
    private final String key;
    private final ByteBuffer data;
    private final boolean ifAbsent;
    private final int partCount;
    private final String[] checksums;
    private final String[] etags;
    private final CompletableFuture<Void> partsDone = new CompletableFuture<>();
    private String uploadId;
    private int nextPart;
    private int partsInFlight;
    private int partsUploaded;
    private boolean failed;
    private final List<CompletableFuture<Void>> started = new ArrayList<>();

    /**
     * @param ifAbsent complete only if no object exists under the key ({@code If-None-Match: *} on the completion)
     */
    S3MultipartUpload(S3AsyncClient client, S3RequestRunner runner, S3Config config, String key, ByteBuffer data, boolean ifAbsent) {
        this.client = client;
        this.runner = runner;
        this.config = config;
        this.key = key;
        this.data = data;
        this.ifAbsent = ifAbsent;
        this.partCount = (int) ((data.remaining() + config.partSizeBytes() - 1) / config.partSizeBytes());
        this.checksums = new String[partCount];
        this.etags = new String[partCount];
    }

    int partCount() {
        return partCount;
    }

    /**
     * Runs the upload; completes with {@code true} once the object is visible, or {@code false}
     * when it was conditional and an object already existed (the parts are then aborted).
     */
    CompletableFuture<Boolean> run() {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        String what = "CreateMultipartUpload " + config.bucket() + "/" + key;
        runner.call(CallType.PUT, what, null,
                        () -> client.createMultipartUpload(b -> b.bucket(config.bucket()).key(key)
                                .checksumAlgorithm(ChecksumAlgorithm.CRC32)),
                        response -> 0, config.retry())
                .thenCompose(created -> {
                    synchronized (this) {
                        uploadId = created.uploadId();
                    }
                    startParts();
                    return partsDone;
                })
                .thenCompose(v -> complete())
                .whenComplete((v, error) -> {
                    if (error == null) {
                        result.complete(true);
                        return;
                    }
                    Throwable cause = ObjectStorageException.unwrap(error);
                    boolean exists = ifAbsent && cause instanceof S3CallException call && S3ObjectStorage.isPreconditionFailed(call);
                    abort().whenComplete((ignored, abortError) -> {
                        if (exists) {
                            result.complete(false);
                        } else {
                            result.completeExceptionally(cause);
                        }
                    });
                });
        return result;
    }

    /** Starts parts until the window is full or none is left. */
    private void startParts() {
        while (true) {
            int part;
            CompletableFuture<Void> upload = new CompletableFuture<>();
            synchronized (this) {
                if (failed || nextPart >= partCount || partsInFlight >= PARTS_IN_FLIGHT) {
                    return;
                }
                part = nextPart++;
                partsInFlight++;
                started.add(upload);
            }
            uploadPart(part).whenComplete((v, error) -> {
                boolean all;
                synchronized (this) {
                    partsInFlight--;
                    if (error == null) {
                        partsUploaded++;
                    } else {
                        failed = true;
                    }
                    all = partsUploaded == partCount;
                }
                upload.complete(null);
                if (error != null) {
                    partsDone.completeExceptionally(error);
                } else if (all) {
                    partsDone.complete(null);
                } else {
                    startParts();
                }
            });
        }
    }

    private CompletableFuture<Void> uploadPart(int index) {
        long offset = index * config.partSizeBytes();
        int length = (int) Math.min(config.partSizeBytes(), data.remaining() - offset);
        // slice(): the part starts at position 0 of its own buffer, so a body that rewinds it stays on the part.
        ByteBuffer slice = data.duplicate();
        slice.position(data.position() + (int) offset).limit(data.position() + (int) offset + length);
        ByteBuffer part = slice.slice();
        int partNumber = index + 1;
        String id = uploadId;
        String what = "UploadPart " + partNumber + "/" + partCount + " of " + config.bucket() + "/" + key;
        return runner.call(CallType.PUT, what, null,
                        () -> client.uploadPart(b -> b.bucket(config.bucket()).key(key).uploadId(id).partNumber(partNumber)
                                        .contentLength((long) length).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                                AsyncRequestBody.fromByteBufferUnsafe(part.duplicate())),
                        response -> length, config.retry())
                .thenAccept(response -> {
                    synchronized (this) {
                        etags[index] = response.eTag();
                        checksums[index] = response.checksumCRC32();
                    }
                });
    }

    private CompletableFuture<Void> complete() {
        List<CompletedPart> parts = new ArrayList<>(partCount);
        String id;
        synchronized (this) {
            id = uploadId;
            for (int i = 0; i < partCount; i++) {
                parts.add(CompletedPart.builder().partNumber(i + 1).eTag(etags[i]).checksumCRC32(checksums[i]).build());
            }
        }
        String what = "CompleteMultipartUpload " + config.bucket() + "/" + key;
        return runner.call(CallType.PUT, what, null,
                        () -> client.completeMultipartUpload(b -> b.bucket(config.bucket()).key(key).uploadId(id)
                                .ifNoneMatch(ifAbsent ? "*" : null).multipartUpload(m -> m.parts(parts))),
                        response -> 0, config.retry())
                .thenApply(response -> (Void) null)
                .exceptionallyCompose(error -> {
                    if (ObjectStorageException.unwrap(error) instanceof S3CallException call && call.failure().hasCode("NoSuchUpload")) {
                        return completedByEarlierAttempt(error);
                    }
                    return CompletableFuture.failedFuture(error);
                });
    }

    /** After {@code NoSuchUpload}: the object exists with the full size exactly when an earlier attempt completed it. */
    private CompletableFuture<Void> completedByEarlierAttempt(Throwable error) {
        long expected = data.remaining();
        return runner.call(CallType.HEAD, "HeadObject " + config.bucket() + "/" + key, key,
                        () -> client.headObject(b -> b.bucket(config.bucket()).key(key)), response -> 0, config.retry())
                .handle((head, headError) -> {
                    if (headError == null && head.contentLength() != null && head.contentLength() == expected) {
                        LOG.info("multipart upload of {} was completed by an earlier, ambiguous attempt", key);
                        return null;
                    }
                    throw new CompletionException(ObjectStorageException.unwrap(error));
                });
    }

    private CompletableFuture<Void> abort() {
        String id;
        synchronized (this) {
            id = uploadId;
        }
        if (id == null) {
            return CompletableFuture.completedFuture(null);
        }
        return partsSettled().thenCompose(v -> runner.call(CallType.DELETE, "AbortMultipartUpload " + config.bucket() + "/" + key,
                        null, () -> client.abortMultipartUpload(b -> b.bucket(config.bucket()).key(key).uploadId(id)),
                        response -> 0, config.retry()))
                .handle((response, error) -> {
                    if (error != null) {
                        LOG.warn("could not abort the multipart upload {} of {}; its parts stay until a lifecycle rule removes them: {}",
                                id, key, error.toString());
                    }
                    return null;
                });
    }

    /** Completes once no part is in flight any more (parts uploaded after an abort would stay billed). */
    private CompletableFuture<Void> partsSettled() {
        List<CompletableFuture<Void>> uploads;
        synchronized (this) {
            failed = true;
            uploads = List.copyOf(started);
        }
        return CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new));
    }
}
