package dev.stratus.broker.partition;

import java.util.concurrent.CompletableFuture;

/**
 * Hands out producer ids for idempotent producers. Ids must never repeat across broker
 * restarts, or a new producer would inherit an old one's sequence state.
 */
@FunctionalInterface
public interface ProducerIdAllocator {

    CompletableFuture<Long> nextProducerId();
}
