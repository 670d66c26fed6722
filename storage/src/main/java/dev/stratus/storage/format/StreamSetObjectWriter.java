package dev.stratus.storage.format;

import dev.stratus.storage.stream.StreamRecordBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static dev.stratus.storage.format.ObjectFormat.*;

/**
 * Builds one stream set object in memory: batches are added sorted by stream id then offset;
 * each stream's batches are cut into data blocks of about {@code targetBlockSize} bytes; the
 * index and footer are appended by {@link #finish()}.
 *
 * <p>Not thread-safe: one writer per object, used by the upload thread.
 */
public final class StreamSetObjectWriter {

    private final long objectId;
    private final int targetBlockSize;
    private final List<DataBlockIndexEntry> index = new ArrayList<>();
    private final List<ByteBuffer> blocks = new ArrayList<>();
    private final List<StreamRecordBatch> currentBlock = new ArrayList<>();
    private long position;
    private int currentBlockSize;
    private long lastStreamId = Long.MIN_VALUE;
    private long lastNextOffset = Long.MIN_VALUE;
    private boolean finished;

    public StreamSetObjectWriter(long objectId, int targetBlockSize) {
        if (targetBlockSize <= BLOCK_HEADER_SIZE) {
            throw new IllegalArgumentException("block size too small: " + targetBlockSize);
        }
        this.objectId = objectId;
        this.targetBlockSize = targetBlockSize;
    }

    public StreamSetObjectWriter(long objectId) {
        this(objectId, DEFAULT_BLOCK_SIZE);
    }

    /** Adds the next batch; batches must come sorted by stream id, then offset, without overlap. */
    public void add(StreamRecordBatch batch) {
        if (finished) {
            throw new IllegalStateException("object already finished");
        }
        if (batch.streamId() < lastStreamId
                || (batch.streamId() == lastStreamId && batch.baseOffset() < lastNextOffset)) {
            throw new IllegalArgumentException("batches out of order: stream " + batch.streamId()
                    + " offset " + batch.baseOffset() + " after stream " + lastStreamId + " offset " + lastNextOffset);
        }
        if (batch.streamId() != lastStreamId || currentBlockSize >= targetBlockSize) {
            cutBlock();
        }
        currentBlock.add(batch);
        currentBlockSize += BATCH_HEADER_SIZE + batch.sizeInBytes();
        lastStreamId = batch.streamId();
        lastNextOffset = batch.nextOffset();
    }

    public boolean isEmpty() {
        return index.isEmpty() && currentBlock.isEmpty();
    }

    /** Ends the object and returns its bytes (a buffer ready to read). */
    public ByteBuffer finish() {
        cutBlock();
        finished = true;
        ByteBuffer indexBlock = ObjectIndex.encode(index);
        CRC32C crc = new CRC32C();
        crc.update(indexBlock.duplicate());
        ObjectFooter footer = new ObjectFooter(position, indexBlock.remaining(), (int) crc.getValue(), objectId, VERSION);
        long total = position + indexBlock.remaining() + FOOTER_SIZE;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalStateException("object too large: " + total + " bytes");
        }
        ByteBuffer object = ByteBuffer.allocate((int) total);
        blocks.forEach(block -> object.put(block.duplicate()));
        object.put(indexBlock).put(footer.encode());
        return object.flip();
    }

    private void cutBlock() {
        if (currentBlock.isEmpty()) {
            return;
        }
        ByteBuffer block = ByteBuffer.allocate(BLOCK_HEADER_SIZE + currentBlockSize);
        StreamRecordBatch first = currentBlock.get(0);
        block.putInt(BLOCK_CRC_OFFSET, 0);
        block.putLong(BLOCK_STREAM_ID_OFFSET, first.streamId());
        block.putInt(BLOCK_BATCH_COUNT_OFFSET, currentBlock.size());
        block.position(BLOCK_HEADER_SIZE);
        int records = 0;
        for (StreamRecordBatch batch : currentBlock) {
            block.putLong(batch.baseOffset());
            block.putInt(batch.count());
            block.putLong(batch.epoch());
            block.putInt(batch.sizeInBytes());
            block.put(batch.payloadView());
            records += batch.count();
        }
        block.flip();
        CRC32C crc = new CRC32C();
        crc.update(block.duplicate().position(BLOCK_CRC_OFFSET + 4));
        block.putInt(BLOCK_CRC_OFFSET, (int) crc.getValue());
        StreamRecordBatch last = currentBlock.get(currentBlock.size() - 1);
        index.add(new DataBlockIndexEntry(first.streamId(), first.baseOffset(), last.nextOffset(), records,
                position, block.remaining()));
        blocks.add(block);
        position += block.remaining();
        currentBlock.clear();
        currentBlockSize = 0;
    }
}
