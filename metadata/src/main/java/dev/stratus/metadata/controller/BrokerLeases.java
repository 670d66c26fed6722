package dev.stratus.metadata.controller;

import dev.stratus.metadata.image.BrokerRegistration;
import dev.stratus.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The active controller's memory of broker heartbeats: each unfenced broker's registration
 * holds a lease of {@code sessionTimeoutMs} that every heartbeat renews. Not replicated (a
 * heartbeat writes nothing): a new active controller starts every lease afresh, so a change of
 * controller never fences a live broker. Controller thread only.
 */
final class BrokerLeases {

    private final long sessionTimeoutMs;
    /** (broker id, epoch) to the time its lease runs out. */
    private final Map<Integer, Lease> leases = new HashMap<>();

    private record Lease(long epoch, long expiresAtMs) {
    }

    BrokerLeases(long sessionTimeoutMs) {
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    /** A registration or heartbeat of {@code epoch} at {@code nowMs}. */
    void renew(int brokerId, long epoch, long nowMs) {
        leases.put(brokerId, new Lease(epoch, nowMs + sessionTimeoutMs));
    }

    /** Forgets every lease (this node stopped being the active controller). */
    void clear() {
        leases.clear();
    }

    /**
     * The unfenced registrations of {@code image} whose lease ran out by {@code nowMs}. A
     * registration this controller has not heard of yet gets a lease from now.
     */
    List<BrokerRegistration> expired(MetadataImage image, long nowMs) {
        List<BrokerRegistration> expired = new ArrayList<>();
        for (BrokerRegistration broker : image.brokers().all()) {
            if (broker.fenced()) {
                continue;
            }
            Lease lease = leases.get(broker.brokerId());
            if (lease == null || lease.epoch() != broker.epoch()) {
                leases.put(broker.brokerId(), new Lease(broker.epoch(), nowMs + sessionTimeoutMs));
            } else if (lease.expiresAtMs() <= nowMs) {
                expired.add(broker);
            }
        }
        return expired;
    }
}
