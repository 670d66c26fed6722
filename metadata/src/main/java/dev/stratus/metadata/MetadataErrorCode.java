package dev.stratus.metadata;

/** Why a metadata operation was refused; the broker maps each to Kafka's error code. */
public enum MetadataErrorCode {
    TOPIC_ALREADY_EXISTS,
    UNKNOWN_TOPIC,
    INVALID_TOPIC_NAME,
    INVALID_PARTITIONS,
    INVALID_CONFIG,
    /** The controller could not persist the change; the caller may retry. */
    UNAVAILABLE,
    /** This node is not (or not yet, or no longer) the active controller; retry at the leader. */
    NOT_CONTROLLER,
    /** The broker asking is fenced or not registered with that epoch; it must register again. */
    STALE_BROKER_EPOCH
}
