package dev.stratus.broker.partition;

import org.apache.kafka.common.protocol.Errors;

/**
 * Outcome of one Produce batch for one partition; failures are values, never exceptions.
 *
 * @param baseOffset     offset of the batch's first record, -1 on error
 * @param logStartOffset the partition's first readable offset, -1 when unknown
 */
public record AppendResult(Errors error, String errorMessage, long baseOffset, long logStartOffset) {

    public static AppendResult success(long baseOffset, long logStartOffset) {
        return new AppendResult(Errors.NONE, null, baseOffset, logStartOffset);
    }

    public static AppendResult failure(Errors error, String message) {
        return new AppendResult(error, message, -1L, -1L);
    }
}
