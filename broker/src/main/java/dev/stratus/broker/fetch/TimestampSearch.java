package dev.stratus.broker.fetch;

import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamRecordBatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;

/**
 * Finds offsets by timestamp for ListOffsets by scanning the stream from its start, batch by
 * batch: a batch whose max timestamp is too small is skipped without decompressing; the one
 * that qualifies is opened to find the exact record. There is no time index yet, so a search
 * costs a read of the partition up to the match (the max-timestamp search reads it all).
 *
 * <p>Stateless; the scan continues on {@code executor} between reads.
 */
public final class TimestampSearch {

    /** A record found by the search; {@link #NOT_FOUND} when none qualifies. */
    public record Found(long offset, long timestamp, int leaderEpoch) {
        public static final Found NOT_FOUND = new Found(-1L, RecordBatch.NO_TIMESTAMP, -1);
    }

    private static final int SCAN_BYTES = 1024 * 1024;

    private TimestampSearch() {
    }

    /** The first record at or after {@code targetTimestamp} (by offset order). */
    public static CompletableFuture<Found> firstAtOrAfter(Stream stream, long targetTimestamp, Executor executor) {
        return scan(stream, stream.startOffset(), stream.confirmedOffset(), executor, new Scan() {
            @Override
            public Found visit(MutableRecordBatch batch, long minOffset) {
                if (batch.maxTimestamp() < targetTimestamp) {
                    return null;
                }
                for (Record record : batch) {
                    if (record.offset() >= minOffset && record.timestamp() >= targetTimestamp) {
                        return new Found(record.offset(), record.timestamp(), batch.partitionLeaderEpoch());
                    }
                }
                return null;
            }

            @Override
            public Found atEnd() {
                return Found.NOT_FOUND;
            }
        });
    }

    /** The earliest record carrying the partition's largest timestamp (ListOffsets -3, KIP-734). */
    public static CompletableFuture<Found> maxTimestamp(Stream stream, Executor executor) {
        return scan(stream, stream.startOffset(), stream.confirmedOffset(), executor, new Scan() {
            private Found best = Found.NOT_FOUND;

            @Override
            public Found visit(MutableRecordBatch batch, long minOffset) {
                if (batch.maxTimestamp() > best.timestamp()) {
                    for (Record record : batch) {
                        if (record.offset() >= minOffset && record.timestamp() > best.timestamp()) {
                            best = new Found(record.offset(), record.timestamp(), batch.partitionLeaderEpoch());
                        }
                    }
                }
                return null;
            }

            @Override
            public Found atEnd() {
                return best;
            }
        });
    }

    /** Visits batches in offset order; a non-null visit result ends the scan. */
    private interface Scan {
        Found visit(MutableRecordBatch batch, long minOffset);

        Found atEnd();
    }

    private static CompletableFuture<Found> scan(Stream stream, long from, long end, Executor executor, Scan scan) {
        if (from >= end) {
            return CompletableFuture.completedFuture(scan.atEnd());
        }
        return stream.fetch(from, end, SCAN_BYTES).thenComposeAsync(result -> {
            long next = from;
            for (StreamRecordBatch stored : result.batches()) {
                for (MutableRecordBatch batch : MemoryRecords.readableRecords(stored.payloadView()).batches()) {
                    Found found = scan.visit(batch, from);
                    if (found != null) {
                        return CompletableFuture.completedFuture(found);
                    }
                }
                next = Math.max(next, stored.nextOffset());
            }
            return next <= from ? CompletableFuture.completedFuture(scan.atEnd()) : scan(stream, next, end, executor, scan);
        }, executor);
    }

}
