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
    STALE_BROKER_EPOCH,
    /** A reassignment names no live broker, or more than one (a Stratus partition has one replica, its leader). */
    INVALID_REPLICA_ASSIGNMENT,
    /** A cancellation of a partition that is not moving. */
    NO_REASSIGNMENT_IN_PROGRESS,
    /** The partition's leader is not live, so it cannot hand the partition over. */
    LEADER_NOT_AVAILABLE,
    /** A report about a partition at a leader epoch (or leader) it is no longer at. */
    FENCED_LEADER_EPOCH
}
