package dev.stratus.storage.objects;

/**
 * What a caller of {@link ObjectStorage} should do about a failed call. Implementations have
 * already retried what they can; the kind says what is left to the caller.
 */
public enum ObjectStorageErrorKind {
    /** The key does not exist (S3 {@code NoSuchKey}, a missing file): check visibility, e.g. whether the object was deleted. */
    NOT_FOUND,
    /** Transient (throttling, 5xx, timeouts, I/O, too many queued calls): try again later, the store should recover by itself. */
    RETRIABLE,
    /** The store is unusable as configured (missing bucket, access denied, wrong credentials or region): an operator must act. */
    CONFIGURATION,
    /** The request itself is wrong (bad range, invalid key) or the answer makes no sense: a bug, retrying will not help. */
    PERMANENT
}
