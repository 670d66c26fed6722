package dev.stratus.storage.format;

import dev.stratus.storage.stream.StreamRecordBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static dev.stratus.storage.format.ObjectFormat.*;

/** Checks and decodes one data block into batches whose payloads share the block's buffer. Stateless. */
public final class DataBlockDecoder {

    private DataBlockDecoder() {
    }

    public static List<StreamRecordBatch> decode(long objectId, DataBlockIndexEntry entry, ByteBuffer block) {
        if (block.remaining() != entry.blockSize()) {
            throw ObjectIndex.corrupt(objectId, "block at " + entry.blockPosition() + " is " + block.remaining()
                    + " bytes, index says " + entry.blockSize());
        }
        int base = block.position();
        CRC32C crc = new CRC32C();
        crc.update(block.duplicate().position(base + BLOCK_CRC_OFFSET + 4));
        if ((int) crc.getValue() != block.getInt(base + BLOCK_CRC_OFFSET)) {
            throw ObjectIndex.corrupt(objectId, "CRC mismatch in block at " + entry.blockPosition());
        }
        long streamId = block.getLong(base + BLOCK_STREAM_ID_OFFSET);
        if (streamId != entry.streamId()) {
            throw ObjectIndex.corrupt(objectId, "block at " + entry.blockPosition() + " holds stream " + streamId
                    + ", index says " + entry.streamId());
        }
        int batchCount = block.getInt(base + BLOCK_BATCH_COUNT_OFFSET);
        List<StreamRecordBatch> batches = new ArrayList<>(Math.max(0, batchCount));
        int at = base + BLOCK_HEADER_SIZE;
        int end = base + entry.blockSize();
        for (int i = 0; i < batchCount; i++) {
            if (at + BATCH_HEADER_SIZE > end) {
                throw ObjectIndex.corrupt(objectId, "batch header past the end of block at " + entry.blockPosition());
            }
            int payloadSize = block.getInt(at + BATCH_PAYLOAD_SIZE_OFFSET);
            if (payloadSize < 0 || at + BATCH_HEADER_SIZE + payloadSize > end) {
                throw ObjectIndex.corrupt(objectId, "batch payload past the end of block at " + entry.blockPosition());
            }
            ByteBuffer payload = block.duplicate().position(at + BATCH_HEADER_SIZE)
                    .limit(at + BATCH_HEADER_SIZE + payloadSize).slice();
            batches.add(new StreamRecordBatch(streamId, block.getLong(at + BATCH_EPOCH_OFFSET),
                    block.getLong(at + BATCH_BASE_OFFSET_OFFSET), block.getInt(at + BATCH_COUNT_OFFSET), payload));
            at += BATCH_HEADER_SIZE + payloadSize;
        }
        return batches;
    }
}
