package dev.stratus.storage.upload;

import dev.stratus.storage.format.StreamingObjectPut;
import dev.stratus.storage.metadata.CommitRequest;
import dev.stratus.storage.metadata.NewObject;
import dev.stratus.storage.metadata.StreamMetadata;
import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.metadata.StreamMetadataView;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.wal.WalEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The object-storage half of every upload, shared by whole-WAL rounds ({@link WalUploader}) and
 * one-stream rounds ({@link StreamUploader}): asks the metadata store where streams stand, lays a
 * plan out as objects ({@link UploadLayout}), reserves their ids (prepare), PUTs them, commits
 * them together in one metadata commit, and tells the listener. A failure between PUT and commit
 * leaves only orphans (ids whose prepare expires), which garbage collection deletes, never a
 * visible half-write. Trimming the WAL is the caller's business, once this has completed.
 *
 * <p>Threading: used on the upload executor only ({@code stratus-uploader}); I/O futures hop back
 * to it. Holds no state between calls.
 */
final class UploadCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(UploadCommitter.class);

    private final ObjectStorage objectStorage;
    private final StreamMetadataStore metadata;
    private final StreamMetadataView view;
    private final UploadListener listener;
    private final Executor executor;
    private final int blockBytes;
    private final long streamObjectSplitBytes;
    private final long prepareTtlMs;

    UploadCommitter(ObjectStorage objectStorage, StreamMetadataStore metadata, StreamMetadataView view, UploadListener listener, Executor executor,
                    UploadSettings settings) {
        this.objectStorage = objectStorage;
        this.metadata = metadata;
        this.view = view;
        this.listener = listener;
        this.executor = executor;
        this.blockBytes = settings.blockBytes();
        this.streamObjectSplitBytes = settings.streamObjectSplitBytes();
        this.prepareTtlMs = settings.prepareTtlMs();
    }

    /** Plans {@code entries} against the committed state of their streams (see {@link UploadPlan}) and logs what it leaves out. */
    CompletableFuture<UploadPlan> plan(List<WalEntry> entries) {
        TreeSet<Long> streamIds = new TreeSet<>();
        for (WalEntry entry : entries) {
            streamIds.add(entry.batch().streamId());
        }
        return describe(streamIds).thenApplyAsync(streams -> {
            UploadPlan plan = UploadPlan.build(entries, streams);
            plan.dropped().forEach(reason -> LOG.warn("upload drops WAL data: {}", reason));
            if (plan.skippedOutOfSequence() > 0) {
                LOG.info("upload skipped {} out-of-sequence batches (left behind by failed appends)", plan.skippedOutOfSequence());
            }
            return plan;
        }, executor);
    }

    /**
     * Writes and commits the objects of {@code plan} (nothing when it is empty); completes once
     * the commit succeeded and the listener was told.
     *
     * @param source where the data came from, for the log
     */
    CompletableFuture<Void> commit(UploadPlan plan, String source) {
        if (plan.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        UploadLayout layout = UploadLayout.of(plan, streamObjectSplitBytes);
        return metadata.prepareObjects(layout.parts().size(), prepareTtlMs)
                .thenComposeAsync(firstId -> putAll(layout, firstId), executor)
                .thenComposeAsync(objects -> metadata.commitObjects(CommitRequest.upload(objects)).thenApply(v -> objects),
                        executor)
                .thenAcceptAsync(objects -> {
                    for (NewObject object : objects) {
                        LOG.info("uploaded {} object {}: {} streams, {} bytes from {}", object.type(), object.objectId(),
                                object.ranges().size(), object.sizeBytes(), source);
                        try {
                            listener.committed(object.objectId(), object.ranges());
                        } catch (RuntimeException e) {
                            LOG.error("upload listener failed", e);
                        }
                    }
                }, executor);
    }

    /**
     * Encodes and writes the objects of the layout one after the other, each piece by piece (see
     * {@link StreamingObjectPut}), so that an upload holds little encoded data beside the WAL
     * data it reads; completes once all of them are written.
     */
    private CompletableFuture<List<NewObject>> putAll(UploadLayout layout, long firstId) {
        List<NewObject> written = new ArrayList<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int i = 0; i < layout.parts().size(); i++) {
            UploadLayout.Part part = layout.parts().get(i);
            long objectId = firstId + i;
            chain = chain.thenCompose(v -> StreamingObjectPut.run(objectStorage, ObjectKeys.objectKey(objectId),
                            part.encoder(objectId, blockBytes), part.batches(), executor))
                    .thenAccept(size -> written.add(part.written(objectId, size)));
        }
        return chain.thenApply(v -> written);
    }

    /** The committed state of each stream; a stream that no longer exists is left out of the map. */
    private CompletableFuture<Map<Long, StreamMetadata>> describe(TreeSet<Long> streamIds) {
        Map<Long, StreamMetadata> result = new HashMap<>();
        CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
        for (long streamId : streamIds) {
            CompletableFuture<Void> one = view.describeStream(streamId).handle((stream, error) -> {
                if (error == null) {
                    synchronized (result) {
                        result.put(streamId, stream);
                    }
                    return null;
                }
                Throwable cause = unwrap(error);
                if (cause instanceof StreamException e && e.code() == StreamErrorCode.STREAM_NOT_FOUND) {
                    return null;
                }
                throw new CompletionException(cause);
            });
            all = all.thenCombine(one, (a, b) -> null);
        }
        return all.thenApply(v -> {
            synchronized (result) {
                return Map.copyOf(result);
            }
        });
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
