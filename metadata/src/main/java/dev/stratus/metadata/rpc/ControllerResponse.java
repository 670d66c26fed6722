package dev.stratus.metadata.rpc;

import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.storage.metadata.StreamMetadata;
import java.util.List;

/**
 * What the active controller answers. A change that succeeded carries the log offset at which
 * it was committed ({@code offset}, -1 when nothing was written), so that the asking node
 * completes its caller only once its own image has applied that far (it reads its own
 * writes).
 */
public sealed interface ControllerResponse {

    /** Success with a value: null, a Long, a TopicMetadata, a StreamMetadata or a List of Long, by request. */
    record Done(long offset, Object value) implements ControllerResponse {
        public Done {
            if (value != null && !(value instanceof Long || value instanceof TopicMetadata || value instanceof StreamMetadata
                    || value instanceof List<?>)) {
                throw new IllegalArgumentException("no wire form for " + value.getClass().getSimpleName());
            }
        }
    }

    /**
     * Refused. {@code kind} says which error family {@code code} names: {@link ErrorKind#METADATA}
     * a {@code MetadataErrorCode}, {@link ErrorKind#STREAM} a {@code StreamErrorCode},
     * {@link ErrorKind#NOT_CONTROLLER} this node does not lead (retry at {@code leaderId}, -1 if
     * unknown), {@link ErrorKind#BAD_REQUEST} the controller could not read or run the request.
     */
    record Failed(ErrorKind kind, String code, String message, int leaderId) implements ControllerResponse {
    }

    /** The batches after the asked offset, each with its offset, in order (possibly none). */
    record Batches(List<Batch> batches) implements ControllerResponse {
        public Batches {
            batches = List.copyOf(batches);
        }
    }

    /** The whole state at {@code offset}, for a node too far behind for batches. */
    record Snapshot(long offset, List<MetadataRecord> records) implements ControllerResponse {
        public Snapshot {
            records = List.copyOf(records);
        }
    }

    /**
     * The quorum as its leader sees it (DescribeQuorum): the leader and its epoch, the highest
     * committed offset, and per voter (and observer) how far its log reaches and when it was
     * last heard from and last caught up (-1 when unknown).
     */
    record Quorum(int leaderId, long leaderEpoch, long highWatermark, List<Replica> voters, List<Replica> observers)
            implements ControllerResponse {
        public Quorum {
            voters = List.copyOf(voters);
            observers = List.copyOf(observers);
        }
    }

    record Replica(int id, long logEndOffset, long lastFetchTimestampMs, long lastCaughtUpTimestampMs) {
    }

    record Batch(long offset, List<MetadataRecord> records) {
        public Batch {
            records = List.copyOf(records);
        }
    }

    enum ErrorKind { METADATA, STREAM, NOT_CONTROLLER, BAD_REQUEST }
}
