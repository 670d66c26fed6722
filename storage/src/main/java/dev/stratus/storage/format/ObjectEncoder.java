package dev.stratus.storage.format;

import dev.stratus.storage.stream.StreamRecordBatch;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Encodes one object of format v1 incrementally, so that it can be written while it is being
 * built: batches go in with {@link #add}; finished data blocks come out with {@link #takeBlocks()};
 * {@link #finishPieces()} ends the object with its last block, index and footer. Only the blocks
 * not yet taken are held, plus the index (40 bytes per block). {@link StreamingObjectPut} drives
 * an encoder into an {@link dev.stratus.storage.objects.ObjectWriter}.
 *
 * <p>Not thread-safe: one encoder per object, used by one thread at a time.
 */
public interface ObjectEncoder {

    /** Adds the next batch (order rules depend on the kind of object). */
    void add(StreamRecordBatch batch);

    /** Bytes of finished data blocks not yet taken. */
    long pendingBytes();

    /** The finished data blocks not yet taken, in object order; the encoder forgets them. */
    List<ByteBuffer> takeBlocks();

    /** Ends the object: the remaining data blocks, then the index block and the footer, in object order. */
    List<ByteBuffer> finishPieces();

    /** Size of the whole object; known once {@link #finishPieces()} was called. */
    long objectSize();
}
