package dev.stratus.broker.fetch;

import dev.stratus.broker.partition.PartitionLeader;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.protocol.Errors;

/**
 * One Fetch request from first read to response, with long polling: read every partition in
 * request order within the byte limits; if fewer than {@code minBytes} came back, no partition
 * failed and {@code maxWaitMs} allows, wait until a partition's high watermark advances (its
 * leader's confirm waiters) or the wait expires, then read again.
 *
 * <p>Thread: owned by the connection's event loop; stream reads complete elsewhere and hop back.
 * Waiters are registered before each read, so an append landing during a read is not missed.
 * When the broker drains for shutdown, waiting fetches answer with what they have.
 */
final class FetchOperation {

    /** One requested partition, resolved against the metadata image. */
    record Target(PartitionLeader leader, Errors resolveError, int currentLeaderEpoch, long fetchOffset,
                  int partitionMaxBytes) {
    }

    private final EventExecutor loop;
    private final List<Target> targets;
    private final int minBytes;
    private final int maxWaitMs;
    private final int maxResponseBytes;
    private final BooleanSupplier draining;
    private final CompletableFuture<PartitionRead.Result[]> reply = new CompletableFuture<>();
    private final Runnable waker;

    private boolean reading;
    private boolean wakePending;
    private boolean expired;
    private boolean done;
    private ScheduledFuture<?> timeout;

    FetchOperation(EventExecutor loop, List<Target> targets, int minBytes, int maxWaitMs, int maxResponseBytes,
                   BooleanSupplier draining) {
        this.loop = loop;
        this.targets = targets;
        this.minBytes = minBytes;
        this.maxWaitMs = maxWaitMs;
        this.maxResponseBytes = maxResponseBytes;
        this.draining = draining;
        this.waker = () -> loop.execute(this::onWake);
    }

    /** Starts reading; the results complete on the loop. */
    CompletableFuture<PartitionRead.Result[]> start() {
        loop.execute(this::readAll);
        return reply;
    }

    private void readAll() {
        reading = true;
        wakePending = false;
        if (maxWaitMs > 0 && !expired) {
            for (Target target : targets) {
                if (target.leader() != null) {
                    target.leader().addConfirmWaiter(waker);
                }
            }
        }
        readFrom(0, new PartitionRead.Result[targets.size()], 0);
    }

    private void readFrom(int index, PartitionRead.Result[] results, int bytes) {
        if (index == targets.size()) {
            onRead(results, bytes);
            return;
        }
        Target target = targets.get(index);
        if (target.leader() == null) {
            results[index] = PartitionRead.Result.error(target.resolveError());
            readFrom(index + 1, results, bytes);
            return;
        }
        int limit = Math.min(target.partitionMaxBytes(), maxResponseBytes - bytes);
        PartitionRead.read(target.leader(), target.currentLeaderEpoch(), target.fetchOffset(), limit, bytes == 0)
                .whenComplete((result, error) -> loop.execute(() -> {
                    PartitionRead.Result read = error != null ? PartitionRead.Result.error(Errors.UNKNOWN_SERVER_ERROR) : result;
                    results[index] = read;
                    readFrom(index + 1, results, bytes + read.sizeInBytes());
                }));
    }

    private void onRead(PartitionRead.Result[] results, int bytes) {
        reading = false;
        if (done) {
            return;
        }
        boolean anyError = false;
        for (PartitionRead.Result result : results) {
            anyError |= result.error() != Errors.NONE;
        }
        if (expired || maxWaitMs <= 0 || bytes >= minBytes || anyError || draining.getAsBoolean()) {
            finish(results);
        } else if (wakePending) {
            readAll();
        } else if (timeout == null) {
            timeout = loop.schedule(this::onTimeout, maxWaitMs, TimeUnit.MILLISECONDS);
        }
    }

    private void onWake() {
        if (done) {
            return;
        }
        if (reading) {
            wakePending = true;
        } else {
            readAll();
        }
    }

    private void onTimeout() {
        expired = true;
        if (!done && !reading) {
            readAll();
        }
    }

    private void finish(PartitionRead.Result[] results) {
        done = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(i);
            if (target.leader() != null) {
                target.leader().removeConfirmWaiter(waker);
                if (results[i] != null) {
                    target.leader().traffic().recordOut(results[i].sizeInBytes());
                }
            }
        }
        reply.complete(results);
    }
}
