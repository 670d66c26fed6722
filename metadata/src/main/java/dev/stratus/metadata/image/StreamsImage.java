package dev.stratus.metadata.image;

import dev.stratus.storage.metadata.StreamMetadata;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** Every stream's committed state (epoch, offsets, open or closed) and the next stream id. Immutable. */
public final class StreamsImage {

    public static final StreamsImage EMPTY = new StreamsImage(new HashMap<>(), 0);

    private final Map<Long, StreamMetadata> streams;
    private final long nextStreamId;

    StreamsImage(Map<Long, StreamMetadata> streams, long nextStreamId) {
        this.streams = Collections.unmodifiableMap(streams);
        this.nextStreamId = nextStreamId;
    }

    /** The stream, or null when it was never created or has been deleted. */
    public StreamMetadata stream(long streamId) {
        return streams.get(streamId);
    }

    public Collection<StreamMetadata> all() {
        return streams.values();
    }

    public long nextStreamId() {
        return nextStreamId;
    }

    Map<Long, StreamMetadata> map() {
        return streams;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamsImage other && nextStreamId == other.nextStreamId && streams.equals(other.streams);
    }

    @Override
    public int hashCode() {
        return streams.hashCode() * 31 + Long.hashCode(nextStreamId);
    }
}
