package dev.stratus.storage.metadata;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the storage engine reads about streams and objects: answered from this node's own copy
 * of the metadata (its image), never by asking the controller, so that a catch-up read, an
 * upload check or a compaction plan costs no round trip. The copy may trail the controller by
 * the time a commit takes to reach this node; the node's own commits are visible here once
 * their futures complete.
 *
 * <p>Futures complete at once unless the implementation says otherwise; errors as in
 * {@link StreamMetadataStore}.
 */
public interface StreamMetadataView {

    /** Returns the stream's committed state, or fails with STREAM_NOT_FOUND. */
    CompletableFuture<StreamMetadata> describeStream(long streamId);

    /** Every committed object not marked for deletion, in id order (what compaction plans from). */
    CompletableFuture<List<ObjectMetadata>> listObjects();

    /** Every object marked for deletion and not yet forgotten, in id order. */
    CompletableFuture<List<MarkedObject>> markedObjects();

    /** Committed objects holding data of {@code streamId} in {@code [startOffset, endOffset)}, in offset order. */
    CompletableFuture<List<ObjectMetadata>> objectsOf(long streamId, long startOffset, long endOffset, int limit);

    /** Every stream's committed state (used by WAL recovery). */
    CompletableFuture<List<StreamMetadata>> allStreams();
}
