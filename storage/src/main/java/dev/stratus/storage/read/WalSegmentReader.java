package dev.stratus.storage.read;

import dev.stratus.storage.cache.WalSegment;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.wal.WalEntry;
import dev.stratus.storage.wal.WalReadResult;
import dev.stratus.storage.wal.WriteAheadLog;

import java.util.List;

/**
 * Reads back batches the log cache evicted before they were uploaded: scans the segment's WAL
 * range in chunks, follows the stream's offset chain from the segment's first offset (skipping
 * other streams' records and records a failed append left behind), and collects what the read
 * asked for.
 *
 * <p>When the WAL no longer holds the range (it was uploaded and trimmed after the lookup), the
 * read fails with {@link TrimmedException} and the caller reads objects instead.
 *
 * <p>Threading: blocks on disk; runs on a catch-up read thread. Stateless.
 */
public final class WalSegmentReader {

    /** How much WAL payload one scan step reads. */
    static final long CHUNK_BYTES = 1024 * 1024;

    /** The segment's WAL range was trimmed: its data is in object storage now. */
    public static final class TrimmedException extends RuntimeException {
        TrimmedException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final WriteAheadLog wal;

    public WalSegmentReader(WriteAheadLog wal) {
        this.wal = wal;
    }

    /** Batches of the segment overlapping {@code [start, end)}, about {@code maxBytes} (at least one). */
    public List<StreamRecordBatch> read(WalSegment segment, long start, long end, int maxBytes) {
        BatchCollector out = new BatchCollector(start, Math.min(end, segment.endOffset()), maxBytes);
        long position = segment.walStartPosition();
        long expected = segment.startOffset();
        while (position < segment.walEndPosition() && !out.full()) {
            WalReadResult chunk = readChunk(segment, position);
            for (WalEntry entry : chunk.entries()) {
                StreamRecordBatch batch = entry.batch();
                if (batch.streamId() != segment.streamId() || batch.baseOffset() != expected) {
                    continue;
                }
                expected = batch.nextOffset();
                if (!out.offer(batch) && out.full()) {
                    break;
                }
            }
            if (chunk.endPosition() <= position) {
                break;
            }
            position = chunk.endPosition();
        }
        if (out.batches().isEmpty() && expected <= start) {
            throw new StreamException(StreamErrorCode.UNEXPECTED, "WAL range " + segment.walStartPosition() + ".."
                    + segment.walEndPosition() + " does not hold offset " + start + " of stream " + segment.streamId()
                    + " (chain reached " + expected + ")");
        }
        return out.batches();
    }

    private WalReadResult readChunk(WalSegment segment, long position) {
        if (wal.trimPosition() > position) {
            throw new TrimmedException("WAL trimmed past " + position, null);
        }
        try {
            return wal.read(position, segment.walEndPosition(), CHUNK_BYTES);
        } catch (RuntimeException e) {
            if (wal.trimPosition() > position) {
                // Uploaded and trimmed (maybe overwritten) while we read: the objects have it.
                throw new TrimmedException("WAL trimmed past " + position + " during the read", e);
            }
            throw e;
        }
    }
}
