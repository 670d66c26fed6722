package dev.stratus.storage.wal;

/**
 * The fixed header of one object of the object WAL (layout in {@link ObjectWalFormat}).
 *
 * @param kind            {@link #DATA} (records) or {@link #FENCE} (an ownership claim, no records)
 * @param recordCount     records in the body (0 for a fence or an empty trim marker)
 * @param walNodeId       the node whose WAL this is (also in the key)
 * @param epoch           ownership epoch of the writer; every open of the WAL claims a new one
 * @param writerNodeId    node that wrote the object (the owner, or the node that recovered the WAL)
 * @param writerNonce     random per writer instance: tells a writer its own object from another's
 * @param sequence        the object's sequence number (also in the key)
 * @param startPosition   logical WAL position of the first record
 * @param endPosition     logical WAL position after the last record
 * @param trimPosition    the writer's durable-to-be trim point: every record below is uploaded
 * @param trimSequence    lowest sequence that may hold records at or above {@code trimPosition}
 * @param discardFrom     fence only: first sequence whose objects the recovery discarded (else -1)
 * @param resumeSequence  fence only: where objects of the fencing epoch start (else -1)
 * @param bodySize        bytes of records after the header
 */
public record ObjectWalHeader(int kind, int recordCount, long walNodeId, long epoch, long writerNodeId, long writerNonce,
                              long sequence, long startPosition, long endPosition, long trimPosition, long trimSequence,
                              long discardFrom, long resumeSequence, int bodySize) {

    public static final int DATA = 0;
    public static final int FENCE = 1;

    public boolean isFence() {
        return kind == FENCE;
    }

    /** Whether this object lies in the range a fence discarded, and was written by an older epoch than the fence's. */
    public boolean discardedBy(ObjectWalHeader fence) {
        return fence.isFence() && sequence != fence.sequence() && sequence >= fence.discardFrom()
                && sequence < fence.resumeSequence() && epoch < fence.epoch();
    }
}
