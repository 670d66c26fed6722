package dev.stratus.storage.upload;

import dev.stratus.storage.metadata.CommitRequest;
import dev.stratus.storage.metadata.NewObject;
import dev.stratus.storage.metadata.StreamMetadata;
import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.wal.WalEntry;
import dev.stratus.storage.wal.WalReadResult;
import dev.stratus.storage.wal.WriteAheadLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Moves WAL data into object storage, one round at a time: read a slice of the WAL from its
 * trim point, ask the metadata store where each stream stands, plan (see {@link UploadPlan}),
 * lay the plan out as one stream set object plus a stream object per large stream (see
 * {@link UploadLayout}), reserve their ids, PUT them, commit them together in one metadata
 * commit, tell the listener, and only then trim the WAL. A crash or failure between PUT and
 * commit leaves only orphans (ids whose prepare expires), which garbage collection deletes. A failed round is retried from scratch after a backoff (the metadata store
 * decides what is already committed, so a retry never commits twice); it is never reported as
 * a success.
 *
 * <p>Threading: every step runs on the upload executor ({@code stratus-uploader}), one round at
 * a time, as arranged by {@link UploadAgent}; I/O futures hop back to it.
 */
final class WalUploader {

    private static final Logger LOG = LoggerFactory.getLogger(WalUploader.class);
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 10_000;

    private final WriteAheadLog wal;
    private final ObjectStorage objectStorage;
    private final StreamMetadataStore metadata;
    private final UploadListener listener;
    private final ScheduledExecutorService executor;
    private final long maxObjectBytes;
    private final int blockBytes;
    private final long streamObjectSplitBytes;
    private final long prepareTtlMs;
    private volatile boolean stopped;

    WalUploader(WriteAheadLog wal, ObjectStorage objectStorage, StreamMetadataStore metadata, UploadListener listener,
                ScheduledExecutorService executor, UploadSettings settings) {
        this.wal = wal;
        this.objectStorage = objectStorage;
        this.metadata = metadata;
        this.listener = listener;
        this.executor = executor;
        this.maxObjectBytes = settings.maxObjectBytes();
        this.blockBytes = settings.blockBytes();
        this.streamObjectSplitBytes = settings.streamObjectSplitBytes();
        this.prepareTtlMs = settings.prepareTtlMs();
    }

    void stop() {
        stopped = true;
    }

    /** Uploads until the WAL is trimmed to at least {@code cut}. Call on the upload executor. */
    CompletableFuture<Void> uploadTo(long cut) {
        return roundsTo(cut, 0);
    }

    private CompletableFuture<Void> roundsTo(long cut, int failures) {
        if (stopped) {
            return CompletableFuture.failedFuture(new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, "uploader stopped"));
        }
        if (wal.trimPosition() >= cut) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> round;
        try {
            round = round(cut);
        } catch (RuntimeException e) {
            round = CompletableFuture.failedFuture(e);
        }
        return round.handleAsync((ok, error) -> {
            if (error == null) {
                return roundsTo(cut, 0);
            }
            long backoffMs = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(failures, 16));
            LOG.warn("upload failed (attempt {}), retrying in {} ms: {}", failures + 1, backoffMs, unwrap(error).toString());
            CompletableFuture<Void> retry = new CompletableFuture<>();
            executor.schedule(() -> {
                roundsTo(cut, failures + 1).whenComplete((v, e) -> {
                    if (e != null) {
                        retry.completeExceptionally(e);
                    } else {
                        retry.complete(null);
                    }
                });
            }, backoffMs, TimeUnit.MILLISECONDS);
            return retry;
        }, executor).thenCompose(next -> next);
    }

    private CompletableFuture<Void> round(long cut) {
        long from = wal.trimPosition();
        WalReadResult slice = wal.read(from, cut, maxObjectBytes);
        TreeSet<Long> streamIds = new TreeSet<>();
        for (WalEntry entry : slice.entries()) {
            streamIds.add(entry.batch().streamId());
        }
        return describe(streamIds).thenComposeAsync(streams -> {
            UploadPlan plan = UploadPlan.build(slice.entries(), streams);
            plan.dropped().forEach(reason -> LOG.warn("upload drops WAL data: {}", reason));
            if (plan.skippedOutOfSequence() > 0) {
                LOG.info("upload skipped {} out-of-sequence batches (left behind by failed appends)", plan.skippedOutOfSequence());
            }
            if (plan.isEmpty()) {
                return trim(slice.endPosition());
            }
            UploadLayout layout = UploadLayout.of(plan, streamObjectSplitBytes);
            return metadata.prepareObjects(layout.parts().size(), prepareTtlMs)
                    .thenComposeAsync(firstId -> putAll(layout, firstId), executor)
                    .thenComposeAsync(written -> {
                        List<NewObject> objects = written.stream().map(UploadLayout.Written::object).toList();
                        return metadata.commitObjects(CommitRequest.upload(objects)).thenApply(v -> objects);
                    }, executor)
                    .thenComposeAsync(objects -> {
                        for (NewObject object : objects) {
                            LOG.info("uploaded {} object {}: {} streams, {} bytes from WAL {}..{}", object.type(),
                                    object.objectId(), object.ranges().size(), object.sizeBytes(), from, slice.endPosition());
                            try {
                                listener.committed(object.objectId(), object.ranges());
                            } catch (RuntimeException e) {
                                LOG.error("upload listener failed", e);
                            }
                        }
                        return trim(slice.endPosition());
                    }, executor);
        }, executor);
    }

    /** Encodes and writes every object of the layout; completes once all PUTs succeeded. */
    private CompletableFuture<List<UploadLayout.Written>> putAll(UploadLayout layout, long firstId) {
        List<UploadLayout.Written> written = new ArrayList<>();
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < layout.parts().size(); i++) {
            UploadLayout.Written object = layout.write(i, firstId + i, blockBytes);
            written.add(object);
            puts.add(objectStorage.put(ObjectKeys.objectKey(object.object().objectId()), object.bytes()));
        }
        return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).thenApply(v -> written);
    }

    private CompletableFuture<Void> trim(long position) {
        return wal.trim(position);
    }

    private CompletableFuture<Map<Long, StreamMetadata>> describe(TreeSet<Long> streamIds) {
        Map<Long, StreamMetadata> result = new HashMap<>();
        CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
        for (long streamId : streamIds) {
            CompletableFuture<Void> one = metadata.describeStream(streamId).handle((stream, error) -> {
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
