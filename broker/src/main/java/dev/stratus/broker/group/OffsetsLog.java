package dev.stratus.broker.group;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the coordinator keeps its records: the partitions of {@code __consumer_offsets}.
 * Implementations must keep the order of appends to one partition (completions included) and
 * complete an append only when its records are durable. Thread-safe.
 */
interface OffsetsLog {

    /** Partitions of the log: the number of group shards. Fixed once the log has been read or written. */
    int partitionCount();

    /** Appends {@code records} to {@code partition} as one batch; completes once durable. */
    CompletableFuture<Void> append(int partition, List<GroupRecord> records);

    /** Every record of {@code partition}, in order (empty when the log does not exist yet). */
    CompletableFuture<List<GroupRecord>> readAll(int partition);
}
