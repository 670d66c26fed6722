package dev.stratus.metadata;

import java.util.concurrent.CompletableFuture;

/**
 * Hands out blocks of producer ids for idempotent producers. Ids never repeat, across broker
 * restarts and (later) across brokers, because the controller persists how far it has handed
 * them out before answering.
 */
public interface ProducerIdController {

    /** Reserves {@code count} consecutive ids and returns the first. */
    CompletableFuture<Long> allocateProducerIds(int count);
}
