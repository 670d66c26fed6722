package dev.stratus.storage.metadata;

/**
 * The controller's view of one stream.
 *
 * @param epoch       the epoch of the current (or last) opener
 * @param startOffset first readable offset (trim point)
 * @param endOffset   end of the data committed to object storage; WAL data above it is
 *                    known only to the owner until uploaded
 * @param state       whether an owner holds the stream open
 */
public record StreamMetadata(long streamId, long epoch, long startOffset, long endOffset, StreamState state) {

    public enum StreamState { OPENED, CLOSED }
}
