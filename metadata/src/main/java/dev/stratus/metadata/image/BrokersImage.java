package dev.stratus.metadata.image;

import java.util.Collection;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/** The registered brokers, by id in ascending order. Immutable. */
public final class BrokersImage {

    public static final BrokersImage EMPTY = new BrokersImage(new TreeMap<>());

    private final NavigableMap<Integer, BrokerRegistration> brokers;

    BrokersImage(NavigableMap<Integer, BrokerRegistration> brokers) {
        this.brokers = Collections.unmodifiableNavigableMap(brokers);
    }

    public BrokerRegistration broker(int brokerId) {
        return brokers.get(brokerId);
    }

    /** The epoch of the broker's registration, -1 when it never registered. */
    public long epoch(int brokerId) {
        BrokerRegistration broker = brokers.get(brokerId);
        return broker == null ? -1 : broker.epoch();
    }

    public Collection<BrokerRegistration> all() {
        return brokers.values();
    }

    /** Registered brokers that are not fenced, by id. */
    public Collection<BrokerRegistration> unfenced() {
        return brokers.values().stream().filter(b -> !b.fenced()).toList();
    }

    /** Registered brokers that may take partitions (neither fenced nor draining), by id. */
    public Collection<BrokerRegistration> placeable() {
        return brokers.values().stream().filter(BrokerRegistration::placeable).toList();
    }

    /**
     * The broker that compacts objects and collects garbage: the lowest unfenced id, -1 with
     * none. Every node derives the same answer from the same image, so exactly one runs them
     * (or, while a change of owner reaches the nodes, briefly two; their commits are checked
     * against the metadata, so the overlap wastes work but loses nothing).
     */
    public int compactionOwner() {
        return brokers.values().stream().filter(b -> !b.fenced()).mapToInt(BrokerRegistration::brokerId).findFirst().orElse(-1);
    }

    NavigableMap<Integer, BrokerRegistration> map() {
        return brokers;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BrokersImage other && brokers.equals(other.brokers);
    }

    @Override
    public int hashCode() {
        return brokers.hashCode();
    }

    @Override
    public String toString() {
        return "BrokersImage" + brokers.values();
    }
}
