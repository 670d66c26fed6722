package dev.stratus.storage.metadata;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the storage engine asks of the controller, all of it changes: stream lifecycle and
 * epochs, object ids, atomic object commits (uploads and compactions), and the deletion
 * lifecycle of objects: committed, then marked (replaced, no live data, or orphan), then deleted
 * from object storage after a grace period, then forgotten. Every call is asynchronous because
 * the active controller may be another process; reads go to the node's own
 * {@link StreamMetadataView} instead.
 *
 * <p>Errors complete the future with {@link dev.stratus.storage.stream.StreamException}
 * ({@code FENCED} for a stale epoch, {@code STREAM_NOT_FOUND}, ...).
 */
public interface StreamMetadataStore {

    CompletableFuture<Long> createStream();

    /**
     * Opens with {@code epoch}, which must be at least the current epoch; fences all lower ones.
     * Returns the stream as committed.
     */
    CompletableFuture<StreamMetadata> openStream(long streamId, long epoch);

    CompletableFuture<Void> closeStream(long streamId, long epoch);

    CompletableFuture<Void> trimStream(long streamId, long epoch, long newStartOffset);

    CompletableFuture<Void> deleteStream(long streamId, long epoch);

    /**
     * Reserves {@code count} consecutive object ids before the objects are written. An id must
     * be committed within {@code ttlMs}; after that a commit naming it fails, and whatever object
     * storage holds under it is an orphan that garbage collection deletes ({@link #markOrphans}).
     */
    CompletableFuture<Long> prepareObjects(int count, long ttlMs);

    /**
     * Commits new objects and, for a compaction, marks the objects they replace, atomically:
     * either the whole request applies or nothing does. See {@link CommitRequest} for the two
     * kinds and {@link ObjectCatalogRules#check} for the rules and errors. Committing the same
     * objects again with the same ranges succeeds without changing anything (a retry).
     */
    CompletableFuture<Void> commitObjects(CommitRequest request);

    /** Commits one stream set object of an upload: {@code commitObjects(CommitRequest.upload(...))}. */
    default CompletableFuture<Void> commitObject(long objectId, long sizeBytes, List<CommitRange> ranges) {
        return commitObjects(CommitRequest.upload(List.of(new NewObject(objectId, ObjectType.STREAM_SET, sizeBytes, ranges))));
    }

    /**
     * Marks for deletion those of {@code objectIds} that are orphans (see
     * {@link ObjectCatalogRules#isOrphan}); ignores the others. Returns the ids it marked.
     */
    CompletableFuture<List<Long>> markOrphans(List<Long> objectIds);

    /**
     * Forgets marked objects whose keys have been deleted from object storage. Ids that are not
     * marked are ignored (a committed object is never forgotten this way).
     */
    CompletableFuture<Void> forgetObjects(List<Long> objectIds);
}
