package dev.stratus.broker.partition;

import dev.stratus.metadata.ProducerIdController;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * Producer ids from blocks reserved at the controller, so that ids never repeat across
 * restarts: most calls are answered from the current block at once; when it runs out, one
 * request for the next block is in flight and callers queue behind it.
 *
 * <p>Thread-safe: called from event loops; the short critical sections never block on I/O.
 */
public final class ProducerIdBlocks implements ProducerIdAllocator {

    static final int BLOCK_SIZE = 1000;

    private final ProducerIdController controller;
    private final Queue<CompletableFuture<Long>> waiting = new ArrayDeque<>();
    private long next;
    private long end;
    private boolean fetching;

    public ProducerIdBlocks(ProducerIdController controller) {
        this.controller = controller;
    }

    @Override
    public CompletableFuture<Long> nextProducerId() {
        CompletableFuture<Long> id = new CompletableFuture<>();
        boolean fetch;
        synchronized (this) {
            if (next < end) {
                return CompletableFuture.completedFuture(next++);
            }
            waiting.add(id);
            fetch = !fetching;
            fetching = true;
        }
        if (fetch) {
            fetchBlock();
        }
        return id;
    }

    private void fetchBlock() {
        controller.allocateProducerIds(BLOCK_SIZE).whenComplete((first, error) -> {
            Queue<CompletableFuture<Long>> answered = new ArrayDeque<>();
            Queue<Long> ids = new ArrayDeque<>();
            boolean again;
            synchronized (this) {
                if (error == null) {
                    next = first;
                    end = first + BLOCK_SIZE;
                    while (!waiting.isEmpty() && next < end) {
                        answered.add(waiting.poll());
                        ids.add(next++);
                    }
                } else {
                    answered.addAll(waiting);
                    waiting.clear();
                }
                again = !waiting.isEmpty();
                fetching = again;
            }
            while (!answered.isEmpty()) {
                if (error == null) {
                    answered.poll().complete(ids.poll());
                } else {
                    answered.poll().completeExceptionally(error);
                }
            }
            if (again) {
                fetchBlock();
            }
        });
    }
}
