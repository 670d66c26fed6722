package dev.stratus.storage.stream;

/**
 * Stream failures sorted by what the caller should do about them.
 */
public enum StreamErrorCode {
    /** Someone opened the stream with a higher epoch: stop acting as owner. */
    FENCED(false),
    /** The requested offsets are outside {@code [startOffset, nextOffset]}. */
    OFFSET_OUT_OF_RANGE(false),
    /** An append did not start at the stream's next offset: a bug in the caller. */
    OFFSET_MISMATCH(false),
    /** The stream does not exist (never created, or deleted). */
    STREAM_NOT_FOUND(false),
    /** The stream was closed by its owner. */
    STREAM_CLOSED(false),
    /** Storage is full or failing; the same call may succeed later. */
    STORAGE_UNAVAILABLE(true),
    /** The batch is larger than the storage accepts in one record. */
    RECORD_TOO_LARGE(false),
    /** Anything else: a bug or a broken disk. */
    UNEXPECTED(false);

    private final boolean retriable;

    StreamErrorCode(boolean retriable) {
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }
}
