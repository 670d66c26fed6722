package dev.stratus.storage.objects.s3;

import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.objects.ObjectStorageErrorKind;
import dev.stratus.storage.objects.ObjectStorageException;
import dev.stratus.storage.objects.ObjectStorageStats;
import dev.stratus.storage.objects.ObjectStorageStats.CallType;
import dev.stratus.storage.objects.ObjectWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Object storage in an S3 bucket (AWS, or any S3-compatible store through an endpoint
 * override), on the AWS SDK v2 async client:
 * <ul>
 *   <li>{@link #put}: one {@code PutObject} up to the part size, a multipart upload above it
 *       ({@link S3MultipartUpload}, {@value #WHOLE_PUT_PARTS_IN_FLIGHT} parts in flight); {@link #putIfAbsent}
 *       the same with {@code If-None-Match: *};</li>
 *   <li>{@link #writer}: the same from pieces, without holding the object whole ({@link S3ObjectWriter});</li>
 *   <li>{@link #rangeRead}: a ranged {@code GetObject}; {@link #size}: {@code HeadObject};</li>
 *   <li>{@link #list}: {@code ListObjectsV2}, page by page; {@link #delete}: {@code DeleteObjects}
 *       in batches of at most 1000 keys.</li>
 * </ul>
 * Every HTTP request goes through one {@link S3RequestRunner}: at most
 * {@code maxInflightRequests} at once ({@link RequestLimiter}), retried on throttling, 5xx and
 * timeouts with backoff and jitter ({@link S3RetryPolicy}), each attempt counted in
 * {@link #stats()}. A missing key fails with {@link java.nio.file.NoSuchFileException} like the
 * other stores; every other failure is an {@link S3CallException} whose
 * {@link ObjectStorageException#kind() kind} tells the caller what to do. {@link #verify()} is
 * the startup check.
 *
 * <p>Threading: thread-safe. Futures complete on the SDK's completion threads or on this
 * store's scheduler thread ({@code stratus-s3-scheduler}, which runs backoff waits and starts
 * requests that waited for a permit). A buffer given to {@link #put} must not change until
 * the future completes (it is sent without a copy).
 */
public final class S3ObjectStorage implements ObjectStorage {

    private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStorage.class);
    /** S3's limit of parts in one multipart upload. */
    static final int MAX_PARTS = 10_000;
    /** Parts of one {@link #put} uploaded at the same time (its buffer is in memory anyway, so no copy is at stake). */
    static final int WHOLE_PUT_PARTS_IN_FLIGHT = 4;

    private final S3Config config;
    private final S3Client resources;
    private final S3AsyncClient client;
    private final ScheduledThreadPoolExecutor scheduler;
    private final RequestLimiter limiter;
    private final S3RequestRunner runner;
    private final ObjectStorageStats stats = new ObjectStorageStats();
    private volatile boolean closed;

    S3ObjectStorage(S3Config config, S3Client resources, DoubleSupplier random) {
        this.config = config;
        this.resources = resources;
        this.client = resources.sdk();
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "stratus-s3-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.limiter = new RequestLimiter(config.maxInflightRequests(), config.maxQueuedRequests(), scheduler);
        this.runner = new S3RequestRunner(limiter, scheduler, stats, random);
    }

    /** A store on a new SDK client built from {@code config}; no request is sent until the first call (or {@link #verify()}). */
    public static S3ObjectStorage open(S3Config config) {
        S3ObjectStorage storage = new S3ObjectStorage(config, S3ClientFactory.create(config), () -> ThreadLocalRandom.current().nextDouble());
        LOG.info("S3 object storage: {}", config);
        return storage;
    }

    public S3Config config() {
        return config;
    }

    /**
     * The startup check: the bucket exists and these credentials may list, write, read back and
     * delete in it. Fails with an {@link S3StartupCheckException} saying which problem it found
     * and how to fix it.
     */
    public CompletableFuture<Void> verify() {
        return new S3StartupCheck(this).run();
    }

    @Override
    public CompletableFuture<Void> put(String key, ByteBuffer data) {
        if (closed) {
            return closedFuture();
        }
        // slice(): the object starts at position 0 of its own buffer (the SDK's body may rewind it).
        ByteBuffer source = data.slice();
        long size = source.remaining();
        if (size > config.partSizeBytes()) {
            IllegalArgumentException tooMany = tooManyParts(key, size);
            return tooMany != null ? CompletableFuture.failedFuture(tooMany)
                    : multipartUpload(key, false, WHOLE_PUT_PARTS_IN_FLIGHT).uploadWhole(source).thenApply(written -> null);
        }
        return runner.call(CallType.PUT, "PutObject " + config.bucket() + "/" + key, null,
                        () -> client.putObject(b -> b.bucket(config.bucket()).key(key).contentLength(size),
                                AsyncRequestBody.fromByteBufferUnsafe(source.duplicate())),
                        response -> size, config.retry())
                .thenApply(response -> null);
    }

    /**
     * A conditional write ({@code If-None-Match: *}): {@code PutObject}, or the completion of a
     * multipart upload above the part size. S3 answers {@code 412 PreconditionFailed} when the key
     * exists, reported as {@code false}; a {@code 409 ConditionalRequestConflict} (a concurrent
     * conditional write in progress) is retried. As the SPI says, a retry after an ambiguous
     * failure of our own first attempt may see that attempt's object and answer {@code false}.
     */
    @Override
    public CompletableFuture<Boolean> putIfAbsent(String key, ByteBuffer data) {
        if (closed) {
            return closedFuture();
        }
        ByteBuffer source = data.slice();
        long size = source.remaining();
        if (size > config.partSizeBytes()) {
            IllegalArgumentException tooMany = tooManyParts(key, size);
            return tooMany != null ? CompletableFuture.failedFuture(tooMany)
                    : multipartUpload(key, true, WHOLE_PUT_PARTS_IN_FLIGHT).uploadWhole(source);
        }
        return runner.call(CallType.PUT, "PutObject If-None-Match " + config.bucket() + "/" + key, null,
                        () -> client.putObject(b -> b.bucket(config.bucket()).key(key).contentLength(size).ifNoneMatch("*"),
                                AsyncRequestBody.fromByteBufferUnsafe(source.duplicate())),
                        response -> size, config.retry())
                .thenApply(response -> true)
                .exceptionallyCompose(error -> ObjectStorageException.unwrap(error) instanceof S3CallException call
                        && isPreconditionFailed(call)
                        ? CompletableFuture.completedFuture(false) : CompletableFuture.failedFuture(error));
    }

    /**
     * A streamed write: one {@code PutObject} when the object ends within one part, a multipart
     * upload otherwise, holding at most {@link S3ObjectWriter#maxBufferedBytes()} (three parts) of it.
     */
    @Override
    public ObjectWriter writer(String key) {
        return new S3ObjectWriter(this, key);
    }

    /** Parts uploading and the one filling, but never more than the object. */
    @Override
    public long writerMemoryBytes(long objectBytes) {
        return Math.min(objectBytes, (long) (S3ObjectWriter.PARTS_IN_FLIGHT + 1) * config.partSizeBytes());
    }

    /** A new multipart upload of {@code key}, fed by {@link #put}, {@link #putIfAbsent} or an {@link S3ObjectWriter}. */
    S3MultipartUpload multipartUpload(String key, boolean ifAbsent, int partsInFlight) {
        return new S3MultipartUpload(client, runner, config, key, ifAbsent, partsInFlight);
    }

    /** S3 takes at most 10,000 parts per upload: null when the object fits, the error otherwise. */
    private IllegalArgumentException tooManyParts(String key, long size) {
        if ((size + config.partSizeBytes() - 1) / config.partSizeBytes() <= MAX_PARTS) {
            return null;
        }
        return new IllegalArgumentException(key + ": " + size + " bytes need more than " + MAX_PARTS + " parts of "
                + config.partSizeBytes() + " bytes; raise s3.multipart.part.size.bytes");
    }

    static boolean isPreconditionFailed(S3CallException call) {
        return call.failure().status() == 412 || call.failure().hasCode("PreconditionFailed");
    }

    @Override
    public CompletableFuture<ByteBuffer> rangeRead(String key, long start, long end) {
        if (closed) {
            return closedFuture();
        }
        if (start < 0 || end < start) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("bad range " + start + ".." + end + " of " + key));
        }
        if (start == end) {
            return CompletableFuture.completedFuture(ByteBuffer.allocate(0));
        }
        String range = "bytes=" + start + "-" + (end - 1);
        return runner.call(CallType.GET, "GetObject " + config.bucket() + "/" + key + " " + range, key,
                        () -> client.getObject(b -> b.bucket(config.bucket()).key(key).range(range), AsyncResponseTransformer.toBytes()),
                        bytes -> bytes.asByteArrayUnsafe().length, config.retry())
                .thenApply(S3ObjectStorage::writableBuffer)
                .exceptionallyCompose(error -> {
                    // 416: the range starts at or past the end. Like the other stores: empty at the end, an error past it.
                    if (ObjectStorageException.unwrap(error) instanceof S3CallException call && call.failure().status() == 416) {
                        return size(key).thenApply(size -> {
                            if (size == start) {
                                return ByteBuffer.allocate(0);
                            }
                            throw new IllegalArgumentException("bad range " + start + ".." + end + " of " + key + " (" + size + " bytes)");
                        });
                    }
                    return CompletableFuture.failedFuture(error);
                });
    }

    private static ByteBuffer writableBuffer(ResponseBytes<?> bytes) {
        return ByteBuffer.wrap(bytes.asByteArrayUnsafe());
    }

    @Override
    public CompletableFuture<Long> size(String key) {
        if (closed) {
            return closedFuture();
        }
        return runner.call(CallType.HEAD, "HeadObject " + config.bucket() + "/" + key, key,
                        () -> client.headObject(b -> b.bucket(config.bucket()).key(key)), response -> 0, config.retry())
                .thenApply(response -> response.contentLength());
    }

    @Override
    public CompletableFuture<List<String>> list(String prefix) {
        if (closed) {
            return closedFuture();
        }
        List<String> keys = Collections.synchronizedList(new ArrayList<>());
        return listFrom(prefix, null, keys).thenApply(v -> {
            List<String> sorted = new ArrayList<>(keys);
            Collections.sort(sorted);
            return sorted;
        });
    }

    private CompletableFuture<Void> listFrom(String prefix, String continuationToken, List<String> keys) {
        return listPage(prefix, continuationToken, config.listPageSize(), config.retry()).thenCompose(page -> {
            for (S3Object object : page.contents()) {
                keys.add(object.key());
            }
            if (Boolean.TRUE.equals(page.isTruncated()) && page.nextContinuationToken() != null) {
                return listFrom(prefix, page.nextContinuationToken(), keys);
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /** One ListObjectsV2 page (also the startup check's bucket probe). */
    CompletableFuture<ListObjectsV2Response> listPage(String prefix, String continuationToken, int maxKeys, S3RetryPolicy policy) {
        return runner.call(CallType.LIST, "ListObjectsV2 " + config.bucket() + "/" + prefix + "*", null,
                () -> client.listObjectsV2(b -> b.bucket(config.bucket()).prefix(prefix).maxKeys(maxKeys)
                        .continuationToken(continuationToken)),
                response -> 0, policy);
    }

    @Override
    public CompletableFuture<Void> delete(List<String> keys) {
        if (closed) {
            return closedFuture();
        }
        List<String> copy = List.copyOf(keys);
        List<CompletableFuture<Void>> batches = new ArrayList<>();
        for (int from = 0; from < copy.size(); from += config.deleteBatchSize()) {
            batches.add(deleteBatch(copy.subList(from, Math.min(copy.size(), from + config.deleteBatchSize())), config.retry()));
        }
        return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new));
    }

    /** One DeleteObjects request; keys S3 could not delete fail the attempt, so it is retried like any other failure. */
    CompletableFuture<Void> deleteBatch(List<String> keys, S3RetryPolicy policy) {
        List<ObjectIdentifier> ids = keys.stream().map(key -> ObjectIdentifier.builder().key(key).build()).toList();
        String what = "DeleteObjects " + config.bucket() + " (" + keys.size() + " keys from " + keys.get(0) + ")";
        return runner.call(CallType.DELETE, what, null,
                        () -> client.deleteObjects(b -> b.bucket(config.bucket()).delete(d -> d.objects(ids).quiet(true)))
                                .thenApply(S3ObjectStorage::checkDeleted),
                        response -> 0, policy)
                .thenApply(response -> null);
    }

    private static DeleteObjectsResponse checkDeleted(DeleteObjectsResponse response) {
        if (!response.hasErrors() || response.errors().isEmpty()) {
            return response;
        }
        S3Error first = response.errors().get(0);
        ObjectStorageErrorKind kind = ObjectStorageErrorKind.PERMANENT;
        for (S3Error error : response.errors()) {
            ObjectStorageErrorKind each = S3ErrorClassifier.kindOfCode(error.code());
            if (each == ObjectStorageErrorKind.RETRIABLE || kind == ObjectStorageErrorKind.PERMANENT) {
                kind = each;
            }
        }
        throw new java.util.concurrent.CompletionException(new ObjectStorageException(kind, response.errors().size()
                + " keys not deleted, first " + first.key() + ": " + first.code() + " " + first.message()));
    }

    /** One PutObject of a small object (the startup check's probe). */
    CompletableFuture<Void> putSmall(String key, byte[] data, S3RetryPolicy policy) {
        return runner.call(CallType.PUT, "PutObject " + config.bucket() + "/" + key, null,
                        () -> client.putObject(b -> b.bucket(config.bucket()).key(key).contentLength((long) data.length),
                                AsyncRequestBody.fromBytes(data)),
                        response -> data.length, policy)
                .thenApply(response -> null);
    }

    /** One whole-object GetObject (the startup check's read-back). */
    CompletableFuture<byte[]> getSmall(String key, S3RetryPolicy policy) {
        return runner.call(CallType.GET, "GetObject " + config.bucket() + "/" + key, key,
                        () -> client.getObject(b -> b.bucket(config.bucket()).key(key), AsyncResponseTransformer.toBytes()),
                        bytes -> bytes.asByteArrayUnsafe().length, policy)
                .thenApply(ResponseBytes::asByteArray);
    }

    @Override
    public ObjectStorageStats stats() {
        return stats;
    }

    /** Requests holding a permit now (for tests and metrics). */
    public int inflightRequests() {
        return limiter.inflight();
    }

    /** The most requests that were ever in flight together. */
    public int peakInflightRequests() {
        return limiter.peakInflight();
    }

    /** Fails waiting requests, abandons backoff waits, and closes the SDK client (in-flight requests fail). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        limiter.close();
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        resources.close();
    }

    private static <T> CompletableFuture<T> closedFuture() {
        return CompletableFuture.failedFuture(new ObjectStorageException(ObjectStorageErrorKind.RETRIABLE, "S3 object storage is closed"));
    }
}
