package dev.stratus.storage.objects;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * A failed object storage call, sorted by what the caller should do ({@link #kind()}). A
 * missing key is reported as {@link NoSuchFileException} by every implementation (the SPI's
 * contract), never as this type; {@link #kindOf(Throwable)} sorts both, and anything else.
 */
public class ObjectStorageException extends IOException {

    private final ObjectStorageErrorKind kind;

    public ObjectStorageException(ObjectStorageErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ObjectStorageException(ObjectStorageErrorKind kind, String message) {
        this(kind, message, null);
    }

    public ObjectStorageErrorKind kind() {
        return kind;
    }

    /**
     * Sorts any failure of an object storage future: unwraps {@link CompletionException} and
     * {@link ExecutionException}; a missing key is {@code NOT_FOUND}; a rejected or other I/O
     * failure is {@code RETRIABLE}; anything else (a bug) is {@code PERMANENT}.
     */
    public static ObjectStorageErrorKind kindOf(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof NoSuchFileException) {
            return ObjectStorageErrorKind.NOT_FOUND;
        }
        if (cause instanceof ObjectStorageException storage) {
            return storage.kind();
        }
        if (cause instanceof IOException || cause instanceof RejectedExecutionException) {
            return ObjectStorageErrorKind.RETRIABLE;
        }
        return ObjectStorageErrorKind.PERMANENT;
    }

    /** The failure inside future wrappers. */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
