package dev.stratus.metadata;

/** Why a metadata operation was refused; the broker maps each to Kafka's error code. */
public enum MetadataErrorCode {
    TOPIC_ALREADY_EXISTS,
    UNKNOWN_TOPIC,
    INVALID_TOPIC_NAME,
    INVALID_PARTITIONS,
    INVALID_CONFIG,
    /** The controller could not persist the change; the caller may retry. */
    UNAVAILABLE
}
