package dev.stratus.storage.format;

import dev.stratus.storage.stream.StreamRecordBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static dev.stratus.storage.format.ObjectFormat.*;

/**
 * Builds one stream set object: batches are added sorted by stream id then offset; each
 * stream's batches are cut into data blocks of about {@code targetBlockSize} bytes; the index and
 * footer end the object. Either whole in memory ({@link #finish()}) or piece by piece as an
 * {@link ObjectEncoder} (uploads and compaction, which must not hold a large object whole).
 *
 * <p>Not thread-safe: one writer per object, used by the upload or compaction thread.
 */
public final class StreamSetObjectWriter implements ObjectEncoder {

    private final long objectId;
    private final int targetBlockSize;
    private final List<DataBlockIndexEntry> index = new ArrayList<>();
    /** Blocks cut but not yet taken. */
    private final List<ByteBuffer> blocks = new ArrayList<>();
    private long pendingBytes;
    private boolean taken;
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
    @Override
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

    @Override
    public long pendingBytes() {
        return pendingBytes;
    }

    @Override
    public List<ByteBuffer> takeBlocks() {
        List<ByteBuffer> out = List.copyOf(blocks);
        blocks.clear();
        pendingBytes = 0;
        taken = true;
        return out;
    }

    @Override
    public List<ByteBuffer> finishPieces() {
        if (finished) {
            throw new IllegalStateException("object already finished");
        }
        cutBlock();
        finished = true;
        ByteBuffer indexBlock = ObjectIndex.encode(index);
        CRC32C crc = new CRC32C();
        crc.update(indexBlock.duplicate());
        ObjectFooter footer = new ObjectFooter(position, indexBlock.remaining(), (int) crc.getValue(), objectId, VERSION);
        position += indexBlock.remaining() + FOOTER_SIZE;
        List<ByteBuffer> pieces = new ArrayList<>(takeBlocks());
        pieces.add(indexBlock);
        pieces.add(footer.encode());
        return pieces;
    }

    @Override
    public long objectSize() {
        if (!finished) {
            throw new IllegalStateException("object not finished yet");
        }
        return position;
    }

    /** Ends the object and returns its bytes whole (a buffer ready to read); only when no block was taken. */
    public ByteBuffer finish() {
        if (taken) {
            throw new IllegalStateException("blocks already taken: finish with finishPieces()");
        }
        List<ByteBuffer> pieces = finishPieces();
        if (position > Integer.MAX_VALUE) {
            throw new IllegalStateException("object too large: " + position + " bytes");
        }
        ByteBuffer object = ByteBuffer.allocate((int) position);
        pieces.forEach(piece -> object.put(piece.duplicate()));
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
        pendingBytes += block.remaining();
        position += block.remaining();
        currentBlock.clear();
        currentBlockSize = 0;
    }
}
