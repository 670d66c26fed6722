package dev.stratus.broker.partition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * N single-threaded agents; every partition is pinned to one of them, which owns its
 * {@link PartitionLeader} state (producer state, append order) without locks.
 *
 * <p>Threads start in {@link #start()} and stop in {@link #shutdown(Duration)}, both called by
 * the broker's lifecycle thread.
 */
public final class PartitionAgents {

    private final int count;
    private final List<ExecutorService> agents = new ArrayList<>();

    public PartitionAgents(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("need at least one agent: " + count);
        }
        this.count = count;
    }

    public void start() {
        for (int i = 0; i < count; i++) {
            String name = "stratus-partition-" + i;
            agents.add(Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, name);
                thread.setDaemon(true);
                return thread;
            }));
        }
    }

    /** The agent owning {@code key}; stable for the life of this object. */
    public ExecutorService agentFor(PartitionKey key) {
        return agents.get(Math.floorMod(key.hashCode(), count));
    }

    public void shutdown(Duration timeout) throws InterruptedException {
        for (ExecutorService agent : agents) {
            agent.shutdown();
        }
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        for (ExecutorService agent : agents) {
            agent.awaitTermination(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }
}
