package dev.stratus.storage.objects.s3;

import dev.stratus.storage.objects.ObjectStorageErrorKind;
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
 * One multipart upload of one object, fed a part at a time: {@link #addPart} starts each part
 * (the first one also starts {@code CreateMultipartUpload}), at most {@code partsInFlight} at
 * once, each retried on its own; {@link #finish()} sends {@code CompleteMultipartUpload} once
 * every part is in, so the object's size is known only then. On any failure, or
 * {@link #abort()}, an {@code AbortMultipartUpload} follows once the parts in flight settled,
 * so that no invisible parts stay billed. The object becomes visible only when the completion
 * succeeds. Two feeders: {@link S3ObjectStorage#put} of a large buffer ({@link #uploadWhole},
 * slices without a copy) and the streamed {@link S3ObjectWriter}.
 *
 * <p>Checksums: the upload is created with CRC32 (the SDK's default algorithm), every part
 * carries its CRC32 and the completion lists them, as S3 requires once an upload has a
 * checksum algorithm.
 *
 * <p>An ambiguous completion (the first attempt timed out or failed with a 5xx after S3 may
 * have finished it) can make a retry answer {@code NoSuchUpload}; the object is then checked
 * with a HEAD: the size of every part added means the first attempt did complete.
 *
 * <p>Threading: one feeder calls {@link #addPart} and {@link #finish} in turn; steps run on SDK
 * completion threads and the store's scheduler; the part bookkeeping is guarded by this
 * object's lock, and futures are completed outside it. {@link #abort()} may come from any thread.
 * Used once.
 */
final class S3MultipartUpload {

    private static final Logger LOG = LoggerFactory.getLogger(S3MultipartUpload.class);

    private final S3AsyncClient client;
    private final S3RequestRunner runner;
    private final S3Config config;
    private final String key;
    private final boolean ifAbsent;
    private final int partsInFlight;
    /** One entry per part added, filled in when S3 accepted the part. */
    private final List<CompletedPart> completedParts = new ArrayList<>();
    /** Each part's upload, completed (never failed) once it settled either way. */
    private final List<CompletableFuture<Void>> settledParts = new ArrayList<>();
    /** The upload id; null until the first part is added. */
    private CompletableFuture<String> created;
    private long bytesAdded;
    private int inFlight;
    /** The feeder's wait for room in the window, when it is full. */
    private CompletableFuture<Void> room;
    /** The first failure (or the abort): no part starts after it. */
    private Throwable failure;
    /** No part may be added: {@link #finish} or {@link #abort} was called. */
    private boolean ended;
    private CompletableFuture<Void> aborted;

    /**
     * @param ifAbsent      complete only if no object exists under the key ({@code If-None-Match: *} on the completion)
     * @param partsInFlight the most parts uploading at once; the feeder waits for room beyond it
     */
    S3MultipartUpload(S3AsyncClient client, S3RequestRunner runner, S3Config config, String key, boolean ifAbsent, int partsInFlight) {
        if (partsInFlight < 1) {
            throw new IllegalArgumentException("parts in flight must be positive: " + partsInFlight);
        }
        this.client = client;
        this.runner = runner;
        this.config = config;
        this.key = key;
        this.ifAbsent = ifAbsent;
        this.partsInFlight = partsInFlight;
    }

    /**
     * Uploads all of {@code data} (more than one part size, at most {@link S3ObjectStorage#MAX_PARTS}
     * parts) as slices of the part size, without copying it: the buffer must not change until the
     * result completes. Completes like {@link #finish()}.
     */
    CompletableFuture<Boolean> uploadWhole(ByteBuffer data) {
        CompletableFuture<Void> fed = new CompletableFuture<>();
        feed(data.slice(), fed);
        return fed.handle((v, error) -> error == null ? null : ObjectStorageException.unwrap(error))
                .thenCompose(error -> error == null ? finish() : abort().thenCompose(v -> CompletableFuture.failedFuture(error)));
    }

    /** Adds the rest of {@code remaining} part by part while the window has room; completes {@code fed} after the last part. */
    private void feed(ByteBuffer remaining, CompletableFuture<Void> fed) {
        while (remaining.hasRemaining()) {
            int length = (int) Math.min(config.partSizeBytes(), remaining.remaining());
            // slice(): the part starts at position 0 of its own buffer, so a body that rewinds it stays on the part.
            ByteBuffer part = remaining.slice(remaining.position(), length);
            remaining.position(remaining.position() + length);
            CompletableFuture<Void> next = addPart(part);
            if (!next.isDone()) {
                next.whenComplete((v, error) -> {
                    if (error != null) {
                        fed.completeExceptionally(error);
                    } else {
                        feed(remaining, fed);
                    }
                });
                return;
            }
            if (next.isCompletedExceptionally()) {
                next.whenComplete((v, error) -> fed.completeExceptionally(error));
                return;
            }
        }
        fed.complete(null);
    }

    /**
     * Starts uploading the next part (S3 requires every part but the last to be at least 5 MiB).
     * The upload takes the buffer over: it must not change until the part settled. Completes once
     * fewer than {@code partsInFlight} parts are in flight, the moment to add the next; fails once
     * the upload failed (it then aborts itself) or when a part past {@link S3ObjectStorage#MAX_PARTS}
     * is added.
     */
    CompletableFuture<Void> addPart(ByteBuffer part) {
        int index;
        boolean first;
        CompletableFuture<String> id;
        CompletableFuture<Void> settled = new CompletableFuture<>();
        CompletableFuture<Void> wait;
        boolean tooMany = false;
        Throwable refused = null;
        synchronized (this) {
            if (failure == null && !ended && completedParts.size() >= S3ObjectStorage.MAX_PARTS) {
                failure = new IllegalArgumentException(key + ": more than " + S3ObjectStorage.MAX_PARTS + " parts of "
                        + config.partSizeBytes() + " bytes; raise s3.multipart.part.size.bytes");
                tooMany = true;
            }
            if (failure != null || ended) {
                refused = failure != null ? failure
                        : new IllegalStateException("multipart upload of " + key + " already ended");
                index = -1;
                first = false;
                id = null;
                wait = null;
            } else {
                index = completedParts.size();
                first = created == null;
                if (first) {
                    created = new CompletableFuture<>();
                }
                id = created;
                completedParts.add(null);
                settledParts.add(settled);
                bytesAdded += part.remaining();
                inFlight++;
                if (inFlight >= partsInFlight) {
                    room = new CompletableFuture<>();
                    wait = room;
                } else {
                    wait = CompletableFuture.completedFuture(null);
                }
            }
        }
        if (tooMany) {
            abort();
        }
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        if (first) {
            create(id);
        }
        id.thenCompose(uploadId -> uploadPart(uploadId, index, part))
                .whenComplete((v, error) -> partSettled(error, settled));
        return wait;
    }

    private void create(CompletableFuture<String> id) {
        runner.call(CallType.PUT, "CreateMultipartUpload " + config.bucket() + "/" + key, null,
                        () -> client.createMultipartUpload(b -> b.bucket(config.bucket()).key(key)
                                .checksumAlgorithm(ChecksumAlgorithm.CRC32)),
                        response -> 0, config.retry())
                .whenComplete((response, error) -> {
                    if (error == null) {
                        id.complete(response.uploadId());
                    } else {
                        id.completeExceptionally(error);
                    }
                });
    }

    private CompletableFuture<Void> uploadPart(String uploadId, int index, ByteBuffer part) {
        synchronized (this) {
            if (failure != null) {
                // Failed or aborted while this part waited for the upload id: sending it would leave a billed part.
                return CompletableFuture.failedFuture(failure);
            }
        }
        int partNumber = index + 1;
        long length = part.remaining();
        String what = "UploadPart " + partNumber + " of " + config.bucket() + "/" + key;
        return runner.call(CallType.PUT, what, null,
                        () -> client.uploadPart(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId).partNumber(partNumber)
                                        .contentLength(length).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                                AsyncRequestBody.fromByteBufferUnsafe(part.duplicate())),
                        response -> length, config.retry())
                .thenAccept(response -> {
                    CompletedPart done = CompletedPart.builder().partNumber(partNumber).eTag(response.eTag())
                            .checksumCRC32(response.checksumCRC32()).build();
                    synchronized (this) {
                        completedParts.set(index, done);
                    }
                });
    }

    private void partSettled(Throwable error, CompletableFuture<Void> settled) {
        CompletableFuture<Void> wake = null;
        Throwable wakeWith;
        boolean firstFailure = false;
        synchronized (this) {
            inFlight--;
            if (error != null && failure == null) {
                failure = ObjectStorageException.unwrap(error);
                firstFailure = true;
            }
            wakeWith = failure;
            if (room != null && (inFlight < partsInFlight || failure != null)) {
                wake = room;
                room = null;
            }
        }
        settled.complete(null);
        if (wake != null) {
            if (wakeWith != null) {
                wake.completeExceptionally(wakeWith);
            } else {
                wake.complete(null);
            }
        }
        if (firstFailure) {
            abort();
        }
    }

    /**
     * After the last part: waits for every part, then completes the upload. Completes with
     * {@code true} once the object is visible, or {@code false} when it was conditional and an
     * object already existed (the parts are then aborted). On failure the upload is aborted.
     */
    CompletableFuture<Boolean> finish() {
        List<CompletableFuture<Void>> parts;
        CompletableFuture<String> id;
        long expectedBytes;
        synchronized (this) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (ended) {
                return CompletableFuture.failedFuture(new IllegalStateException("multipart upload of " + key + " already ended"));
            }
            if (created == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("multipart upload of " + key + " has no part"));
            }
            ended = true;
            parts = List.copyOf(settledParts);
            id = created;
            expectedBytes = bytesAdded;
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenCompose(v -> id)
                .thenCompose(uploadId -> {
                    List<CompletedPart> completed;
                    synchronized (this) {
                        if (failure != null) {
                            throw new CompletionException(failure);
                        }
                        completed = List.copyOf(completedParts);
                    }
                    return complete(uploadId, completed, expectedBytes);
                })
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

    private CompletableFuture<Void> complete(String uploadId, List<CompletedPart> parts, long expectedBytes) {
        String what = "CompleteMultipartUpload " + config.bucket() + "/" + key + " (" + parts.size() + " parts)";
        return runner.call(CallType.PUT, what, null,
                        () -> client.completeMultipartUpload(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId)
                                .ifNoneMatch(ifAbsent ? "*" : null).multipartUpload(m -> m.parts(parts))),
                        response -> 0, config.retry())
                .thenApply(response -> (Void) null)
                .exceptionallyCompose(error -> {
                    if (ObjectStorageException.unwrap(error) instanceof S3CallException call && call.failure().hasCode("NoSuchUpload")) {
                        return completedByEarlierAttempt(error, expectedBytes);
                    }
                    return CompletableFuture.failedFuture(error);
                });
    }

    /** After {@code NoSuchUpload}: the object exists with the full size exactly when an earlier attempt completed it. */
    private CompletableFuture<Void> completedByEarlierAttempt(Throwable error, long expectedBytes) {
        return runner.call(CallType.HEAD, "HeadObject " + config.bucket() + "/" + key, key,
                        () -> client.headObject(b -> b.bucket(config.bucket()).key(key)), response -> 0, config.retry())
                .handle((head, headError) -> {
                    if (headError == null && head.contentLength() != null && head.contentLength() == expectedBytes) {
                        LOG.info("multipart upload of {} was completed by an earlier, ambiguous attempt", key);
                        return null;
                    }
                    throw new CompletionException(ObjectStorageException.unwrap(error));
                });
    }

    /**
     * Gives the upload up: no part starts any more, and once the parts in flight settled the
     * upload (if it was created) is aborted. Idempotent; never fails (an abort that fails is
     * logged: its parts stay until a lifecycle rule removes them). Called by the upload itself
     * after a failure.
     */
    CompletableFuture<Void> abort() {
        CompletableFuture<Void> result;
        List<CompletableFuture<Void>> parts;
        CompletableFuture<String> id;
        CompletableFuture<Void> wake;
        Throwable wakeWith;
        synchronized (this) {
            if (aborted != null) {
                return aborted;
            }
            aborted = new CompletableFuture<>();
            result = aborted;
            ended = true;
            if (failure == null) {
                failure = new ObjectStorageException(ObjectStorageErrorKind.PERMANENT, "multipart upload of " + key + " was aborted");
            }
            wakeWith = failure;
            wake = room;
            room = null;
            parts = List.copyOf(settledParts);
            id = created;
        }
        if (wake != null) {
            wake.completeExceptionally(wakeWith);
        }
        if (id == null) {
            result.complete(null);
            return result;
        }
        // Parts uploaded after an abort would stay billed: wait for the ones in flight first.
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenCompose(v -> id.handle((uploadId, createError) -> uploadId))
                .thenCompose(uploadId -> uploadId == null ? CompletableFuture.completedFuture(null)
                        : runner.call(CallType.DELETE, "AbortMultipartUpload " + config.bucket() + "/" + key, null,
                                () -> client.abortMultipartUpload(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId)),
                                response -> 0, config.retry()))
                .whenComplete((response, error) -> {
                    if (error != null) {
                        LOG.warn("could not abort the multipart upload of {}; its parts stay until a lifecycle rule removes them: {}",
                                key, error.toString());
                    }
                    result.complete(null);
                });
        return result;
    }
}
