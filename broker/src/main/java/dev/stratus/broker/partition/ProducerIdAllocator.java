package dev.stratus.broker.partition;

/**
 * Hands out producer ids for idempotent producers. Ids must never repeat across broker
 * restarts, or a new producer would inherit an old one's sequence state.
 */
@FunctionalInterface
public interface ProducerIdAllocator {

    long nextProducerId();
}
