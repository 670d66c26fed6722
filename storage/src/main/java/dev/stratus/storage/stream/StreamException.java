package dev.stratus.storage.stream;

/** A stream operation failed; {@link #code()} says what the caller should do. */
public class StreamException extends RuntimeException {

    private final StreamErrorCode code;

    public StreamException(StreamErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public StreamException(StreamErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public StreamErrorCode code() {
        return code;
    }
}
