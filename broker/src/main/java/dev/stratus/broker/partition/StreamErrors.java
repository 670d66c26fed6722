package dev.stratus.broker.partition;

import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.protocol.Errors;

/** Maps storage failures to the Kafka error a client should act on. Stateless. */
public final class StreamErrors {

    private StreamErrors() {
    }

    public static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** Whether the same storage call may succeed later (the storage is full or failing, not fenced or broken). */
    public static boolean retriable(Throwable error) {
        return unwrap(error) instanceof StreamException streamError && streamError.code().retriable();
    }

    public static Errors toKafka(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof TimeoutException) {
            return Errors.REQUEST_TIMED_OUT;
        }
        if (!(cause instanceof StreamException streamError)) {
            return Errors.UNKNOWN_SERVER_ERROR;
        }
        return toKafka(streamError.code());
    }

    public static Errors toKafka(StreamErrorCode code) {
        return switch (code) {
            // Someone else owns the partition now, or we gave it up: the client should refresh metadata.
            case FENCED, STREAM_CLOSED, STREAM_NOT_FOUND -> Errors.NOT_LEADER_OR_FOLLOWER;
            case OFFSET_OUT_OF_RANGE -> Errors.OFFSET_OUT_OF_RANGE;
            case RECORD_TOO_LARGE -> Errors.MESSAGE_TOO_LARGE;
            // Full or failing storage: nothing was written. KAFKA_STORAGE_ERROR is a RetriableException (an
            // InvalidMetadataException): producers retry it with the same sequence numbers after refreshing
            // metadata, consumers retry their fetch; it is also what Kafka answers when a log directory fails.
            case STORAGE_UNAVAILABLE -> Errors.KAFKA_STORAGE_ERROR;
            case OFFSET_MISMATCH, UNEXPECTED -> Errors.UNKNOWN_SERVER_ERROR;
        };
    }
}
