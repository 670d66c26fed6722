package dev.stratus.broker.network;

import java.util.concurrent.CompletableFuture;

/**
 * Turns a parsed request into a {@link Reply}. Called on the connection's event loop, in
 * arrival order; must return without blocking. The future may complete on any thread.
 */
@FunctionalInterface
public interface RequestHandler {

    CompletableFuture<Reply> handle(RequestContext context);
}
