package dev.stratus.storage.objects.s3;

import java.net.URI;

/**
 * Settings of an {@link S3ObjectStorage}, validated at construction. {@link #of} fills in the
 * defaults; {@code with*} methods change one tuning value.
 *
 * @param bucket              the bucket holding every object (must exist)
 * @param region              the signing region (S3-compatible stores usually accept any, e.g. {@code us-east-1})
 * @param endpoint            endpoint override ({@code http://127.0.0.1:9000}), or null for AWS's endpoint of the region
 * @param pathStyleAccess     {@code http://endpoint/bucket/key} instead of {@code http://bucket.endpoint/key}; most
 *                            S3-compatible stores need it
 * @param accessKey           static access key, or null to use the AWS default credentials chain
 * @param secretKey           static secret key; set exactly when {@code accessKey} is
 * @param partSizeBytes       objects larger than this are written with multipart upload, in parts of this size
 *                            (5 MiB, S3's minimum part size, to 5 GiB; default 16 MiB)
 * @param maxInflightRequests the most HTTP requests outstanding at once (default 64)
 * @param maxQueuedRequests   the most requests waiting for one of those slots; beyond it calls fail at once with a
 *                            retriable error (default 4096)
 * @param requestTimeoutMs    how long one attempt may take before it is abandoned and retried (default 30 s)
 * @param retry               retries of failed requests
 * @param listPageSize        keys per ListObjectsV2 page (1..1000, default 1000)
 * @param deleteBatchSize     keys per DeleteObjects request (1..1000, default 1000)
 */
public record S3Config(String bucket, String region, URI endpoint, boolean pathStyleAccess, String accessKey,
                       String secretKey, long partSizeBytes, int maxInflightRequests, int maxQueuedRequests,
                       long requestTimeoutMs, S3RetryPolicy retry, int listPageSize, int deleteBatchSize) {

    /** S3's smallest part (all but the last part of a multipart upload must be at least this big). */
    public static final long MIN_PART_SIZE_BYTES = 5L * 1024 * 1024;
    /** S3's largest part. */
    public static final long MAX_PART_SIZE_BYTES = 5L * 1024 * 1024 * 1024;
    public static final long DEFAULT_PART_SIZE_BYTES = 16L * 1024 * 1024;
    public static final int DEFAULT_MAX_INFLIGHT_REQUESTS = 64;
    public static final int DEFAULT_MAX_QUEUED_REQUESTS = 4096;
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
    /** S3's limit for ListObjectsV2 pages and DeleteObjects batches. */
    public static final int MAX_KEYS_PER_REQUEST = 1000;

    public S3Config {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("an S3 bucket is required");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("an S3 region is required");
        }
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("set both the S3 access key and secret key, or neither (to use the AWS default credentials chain)");
        }
        if (partSizeBytes < MIN_PART_SIZE_BYTES || partSizeBytes > MAX_PART_SIZE_BYTES) {
            throw new IllegalArgumentException("S3 part size " + partSizeBytes + " is outside [" + MIN_PART_SIZE_BYTES
                    + ", " + MAX_PART_SIZE_BYTES + "]");
        }
        if (maxInflightRequests < 1 || maxQueuedRequests < 0 || requestTimeoutMs < 1 || retry == null) {
            throw new IllegalArgumentException("invalid S3 request limits: " + maxInflightRequests + " in flight, "
                    + maxQueuedRequests + " queued, timeout " + requestTimeoutMs + " ms, retry " + retry);
        }
        if (listPageSize < 1 || listPageSize > MAX_KEYS_PER_REQUEST || deleteBatchSize < 1 || deleteBatchSize > MAX_KEYS_PER_REQUEST) {
            throw new IllegalArgumentException("list page and delete batch sizes must be in [1, 1000]: "
                    + listPageSize + ", " + deleteBatchSize);
        }
    }

    /** A configuration with every tuning value at its default. */
    public static S3Config of(String bucket, String region, URI endpoint, boolean pathStyleAccess, String accessKey, String secretKey) {
        return new S3Config(bucket, region, endpoint, pathStyleAccess, accessKey, secretKey, DEFAULT_PART_SIZE_BYTES,
                DEFAULT_MAX_INFLIGHT_REQUESTS, DEFAULT_MAX_QUEUED_REQUESTS, DEFAULT_REQUEST_TIMEOUT_MS, S3RetryPolicy.defaults(),
                MAX_KEYS_PER_REQUEST, MAX_KEYS_PER_REQUEST);
    }

    public boolean staticCredentials() {
        return accessKey != null;
    }

    public S3Config withPartSizeBytes(long value) {
        return new S3Config(bucket, region, endpoint, pathStyleAccess, accessKey, secretKey, value, maxInflightRequests,
                maxQueuedRequests, requestTimeoutMs, retry, listPageSize, deleteBatchSize);
    }

    public S3Config withRequestLimits(int inflight, int queued) {
        return new S3Config(bucket, region, endpoint, pathStyleAccess, accessKey, secretKey, partSizeBytes, inflight,
                queued, requestTimeoutMs, retry, listPageSize, deleteBatchSize);
    }

    public S3Config withRequestTimeoutMs(long value) {
        return new S3Config(bucket, region, endpoint, pathStyleAccess, accessKey, secretKey, partSizeBytes, maxInflightRequests,
                maxQueuedRequests, value, retry, listPageSize, deleteBatchSize);
    }

    public S3Config withRetry(S3RetryPolicy value) {
        return new S3Config(bucket, region, endpoint, pathStyleAccess, accessKey, secretKey, partSizeBytes, maxInflightRequests,
                maxQueuedRequests, requestTimeoutMs, value, listPageSize, deleteBatchSize);
    }

    public S3Config withBatchSizes(int listPage, int deleteBatch) {
        return new S3Config(bucket, region, endpoint, pathStyleAccess, accessKey, secretKey, partSizeBytes, maxInflightRequests,
                maxQueuedRequests, requestTimeoutMs, retry, listPage, deleteBatch);
    }

    public S3Config withBucket(String value) {
        return new S3Config(value, region, endpoint, pathStyleAccess, accessKey, secretKey, partSizeBytes, maxInflightRequests,
                maxQueuedRequests, requestTimeoutMs, retry, listPageSize, deleteBatchSize);
    }

    public S3Config withCredentials(String access, String secret) {
        return new S3Config(bucket, region, endpoint, pathStyleAccess, access, secret, partSizeBytes, maxInflightRequests,
                maxQueuedRequests, requestTimeoutMs, retry, listPageSize, deleteBatchSize);
    }

    public S3Config withEndpoint(URI value) {
        return new S3Config(bucket, region, value, pathStyleAccess, accessKey, secretKey, partSizeBytes, maxInflightRequests,
                maxQueuedRequests, requestTimeoutMs, retry, listPageSize, deleteBatchSize);
    }

    /** Where requests go, for messages: the override or AWS's regional endpoint. */
    public String describeEndpoint() {
        return endpoint != null ? endpoint.toString() : "AWS S3 in " + region;
    }

    /** Never prints the secret key. */
    @Override
    public String toString() {
        return "S3Config[bucket=" + bucket + ", region=" + region + ", endpoint=" + describeEndpoint() + ", pathStyle="
                + pathStyleAccess + ", credentials=" + (staticCredentials() ? "static key " + accessKey : "default chain")
                + ", partSizeBytes=" + partSizeBytes + ", maxInflightRequests=" + maxInflightRequests
                + ", maxQueuedRequests=" + maxQueuedRequests + ", requestTimeoutMs=" + requestTimeoutMs + ", retry=" + retry + "]";
    }
}
