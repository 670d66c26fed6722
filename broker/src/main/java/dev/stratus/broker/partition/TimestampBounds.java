package dev.stratus.broker.partition;

import dev.stratus.broker.config.LogConfig;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;

/**
 * {@code message.timestamp.before.max.ms} and {@code message.timestamp.after.max.ms} for
 * CreateTime topics, checked on the batch header only (its first and max timestamps), so records
 * are never decompressed: a record whose own timestamp lies between the two is judged by them.
 * Records without a timestamp (-1) pass, as in Kafka. Stateless.
 */
final class TimestampBounds {

    private TimestampBounds() {
    }

    /** Null when the batch is within bounds, else Kafka's message for INVALID_TIMESTAMP. */
    static String problem(MutableRecordBatch batch, long nowMs, LogConfig config) {
        long max = batch.maxTimestamp();
        long first = batch instanceof DefaultRecordBatch defaultBatch ? defaultBatch.baseTimestamp() : max;
        long earliest = saturatedSubtract(nowMs, config.timestampBeforeMaxMs());
        long latest = saturatedAdd(nowMs, config.timestampAfterMaxMs());
        for (long timestamp : new long[] {first, max}) {
            if (timestamp != RecordBatch.NO_TIMESTAMP && (timestamp < earliest || timestamp > latest)) {
                return "Timestamp " + timestamp + " of message with offset " + batch.baseOffset()
                        + " is out of range. The timestamp should be within [" + earliest + ", " + latest + "]";
            }
        }
        return null;
    }

    private static long saturatedSubtract(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
