package dev.stratus.broker.partition;

import java.util.Iterator;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;

/**
 * Checks a partition's records from a Produce request before anything is written, with the
 * error codes Kafka 4 uses:
 * <ul>
 * <li>no batch, more than one batch, magic 0 or 1, a control batch, a record count that does
 *     not match the offset delta: {@code INVALID_RECORD};</li>
 * <li>an unknown magic, a truncated batch, a wrong CRC: {@code CORRUPT_MESSAGE};</li>
 * <li>a batch larger than {@code message.max.bytes}: {@code MESSAGE_TOO_LARGE};</li>
 * <li>zstd before Produce v7: {@code UNSUPPORTED_COMPRESSION_TYPE};</li>
 * <li>a transactional batch (transactions are not implemented yet): {@code INVALID_TXN_STATE}.</li>
 * </ul>
 * Records inside the batch are not decompressed or inspected (timestamps, keys): the CRC
 * guarantees they are what the producer sent.
 *
 * <p>Stateless and thread-safe.
 */
public final class BatchValidator {

    /** The one valid batch, or why there is none. */
    public record Validation(MutableRecordBatch batch, Errors error, String message) {
        public boolean valid() {
            return error == Errors.NONE;
        }
    }

    private BatchValidator() {
    }

    public static Validation validate(MemoryRecords records, int maxBatchBytes, short produceVersion) {
        if (records == null || records.sizeInBytes() == 0) {
            return invalid(Errors.INVALID_RECORD, "Produce requests must carry exactly one record batch per partition");
        }
        MutableRecordBatch batch;
        try {
            Iterator<MutableRecordBatch> batches = records.batches().iterator();
            if (!batches.hasNext()) {
                return invalid(Errors.CORRUPT_MESSAGE, "Record batch is truncated");
            }
            batch = batches.next();
            if (batches.hasNext()) {
                return invalid(Errors.INVALID_RECORD, "Produce requests must carry exactly one record batch per partition");
            }
        } catch (CorruptRecordException e) {
            return invalid(Errors.CORRUPT_MESSAGE, e.getMessage());
        }
        if (batch.sizeInBytes() != records.sizeInBytes()) {
            return invalid(Errors.CORRUPT_MESSAGE, "Record batch is truncated or followed by garbage");
        }
        if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
            return invalid(Errors.INVALID_RECORD, "Only record batches with magic 2 are accepted, got " + batch.magic());
        }
        if (batch.sizeInBytes() > maxBatchBytes) {
            return invalid(Errors.MESSAGE_TOO_LARGE, "Record batch of " + batch.sizeInBytes()
                    + " bytes exceeds the maximum of " + maxBatchBytes + " (message.max.bytes)");
        }
        if (!batch.isValid()) {
            return invalid(Errors.CORRUPT_MESSAGE, "Record batch CRC does not match its content");
        }
        if (batch.isControlBatch()) {
            return invalid(Errors.INVALID_RECORD, "Clients must not send control batches");
        }
        if (batch.isTransactional()) {
            return invalid(Errors.INVALID_TXN_STATE, "Transactions are not supported yet");
        }
        if (batch.compressionType() == CompressionType.ZSTD && produceVersion < 7) {
            return invalid(Errors.UNSUPPORTED_COMPRESSION_TYPE, "zstd needs Produce v7 or later");
        }
        Integer count = batch.countOrNull();
        long offsetDelta = batch.lastOffset() - batch.baseOffset();
        if (count == null || count <= 0 || offsetDelta != count - 1L) {
            return invalid(Errors.INVALID_RECORD, "Record count " + count + " does not match last offset delta " + offsetDelta);
        }
        return new Validation(batch, Errors.NONE, null);
    }

    private static Validation invalid(Errors error, String message) {
        return new Validation(null, error, message);
    }
}
