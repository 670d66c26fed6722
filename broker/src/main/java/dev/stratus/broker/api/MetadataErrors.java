package dev.stratus.broker.api;

import dev.stratus.broker.partition.StreamErrors;
import dev.stratus.metadata.MetadataException;
import org.apache.kafka.common.protocol.Errors;

/** Maps controller refusals to Kafka error codes. Stateless. */
public final class MetadataErrors {

    private MetadataErrors() {
    }

    public static Errors toKafka(Throwable error) {
        Throwable cause = StreamErrors.unwrap(error);
        if (!(cause instanceof MetadataException metadataError)) {
            return Errors.UNKNOWN_SERVER_ERROR;
        }
        return switch (metadataError.code()) {
            case TOPIC_ALREADY_EXISTS -> Errors.TOPIC_ALREADY_EXISTS;
            case UNKNOWN_TOPIC -> Errors.UNKNOWN_TOPIC_OR_PARTITION;
            case INVALID_TOPIC_NAME -> Errors.INVALID_TOPIC_EXCEPTION;
            case INVALID_PARTITIONS -> Errors.INVALID_PARTITIONS;
            case INVALID_CONFIG -> Errors.INVALID_CONFIG;
            case UNAVAILABLE, NOT_CONTROLLER -> Errors.REQUEST_TIMED_OUT;
            case STALE_BROKER_EPOCH -> Errors.STALE_BROKER_EPOCH;
            case INVALID_REPLICA_ASSIGNMENT -> Errors.INVALID_REPLICA_ASSIGNMENT;
            case NO_REASSIGNMENT_IN_PROGRESS -> Errors.NO_REASSIGNMENT_IN_PROGRESS;
            case LEADER_NOT_AVAILABLE -> Errors.LEADER_NOT_AVAILABLE;
            case FENCED_LEADER_EPOCH -> Errors.FENCED_LEADER_EPOCH;
        };
    }

    public static String message(Throwable error) {
        return StreamErrors.unwrap(error).getMessage();
    }
}
