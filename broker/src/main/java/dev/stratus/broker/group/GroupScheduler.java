package dev.stratus.broker.group;

import java.util.concurrent.Executor;

/**
 * A serial executor with timers and a clock: everything a group shard needs from its thread.
 * Tasks and timers run one at a time, in order, on the scheduler's single thread, so the shard
 * owns its state without locks. Tests inject a manual implementation to drive time.
 */
public interface GroupScheduler extends Executor {

    /** Wall-clock milliseconds (commit timestamps, state timestamps). */
    long nowMs();

    /** Runs {@code task} on this scheduler's thread after {@code delayMs}. */
    Cancellable schedule(long delayMs, Runnable task);

    /** A scheduled task that may be cancelled; cancelling a task that ran is harmless. */
    @FunctionalInterface
    interface Cancellable {
        Cancellable NONE = () -> { };

        void cancel();
    }
}
