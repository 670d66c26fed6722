package dev.stratus.metadata.image;

import java.util.UUID;

/**
 * A broker as the metadata knows it: its id, the epoch of its current registration, the
 * incarnation (process start) that registered, where clients reach it, its rack (or null), and
 * whether it is fenced (may not lead partitions) or draining (being emptied of its partitions,
 * takes no new ones).
 */
public record BrokerRegistration(int brokerId, long epoch, UUID incarnationId, String host, int port, String rack,
                                 boolean fenced, boolean draining) {

    /** Whether new partitions, and partitions moved off others, may be placed on it. */
    public boolean placeable() {
        return !fenced && !draining;
    }
}
