package dev.stratus.broker.partition;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;

/**
 * Outcome of one Produce batch for one partition; failures are values, never exceptions.
 *
 * @param baseOffset       offset of the batch's first record, -1 on error
 * @param logStartOffset   the partition's first readable offset, -1 when unknown
 * @param logAppendTimeMs  the time the broker stamped on the batch with
 *                         {@code message.timestamp.type=LogAppendTime}, else -1
 */
public record AppendResult(Errors error, String errorMessage, long baseOffset, long logStartOffset, long logAppendTimeMs) {

    public static AppendResult success(long baseOffset, long logStartOffset) {
        return new AppendResult(Errors.NONE, null, baseOffset, logStartOffset, RecordBatch.NO_TIMESTAMP);
    }

    public static AppendResult success(long baseOffset, long logStartOffset, long logAppendTimeMs) {
        return new AppendResult(Errors.NONE, null, baseOffset, logStartOffset, logAppendTimeMs);
    }

    public static AppendResult failure(Errors error, String message) {
        return new AppendResult(error, message, -1L, -1L, RecordBatch.NO_TIMESTAMP);
    }
}
