package dev.stratus.storage.upload;

import dev.stratus.storage.format.StreamSetObjectWriter;
import dev.stratus.storage.metadata.StreamMetadata;
import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.objects.ObjectKeys;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import dev.stratus.storage.wal.WalEntry;
import dev.stratus.storage.wal.WalReadResult;
import dev.stratus.storage.wal.WriteAheadLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.HashMap;

import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Moves WAL data into object storage, one round at a time: read a slice of the WAL from its
 * trim point, ask the metadata store where each stream stands, plan (see {@link UploadPlan}),
 * reserve an object id, PUT the stream set object, commit it, tell the listener, and only then
 * trim the WAL. A failed round is retried from scratch after a backoff (the metadata store
 * decides what is already committed, so a retry never commits twice); it is never reported as
 * a success.
 *
 * <p>Threading: every step runs on the upload executor ({@code stratus-uploader}), one round at
 * a time, as arranged by {@link UploadAgent}; I/O futures hop back to it.
 */
final class WalUploader {

    private static final Logger LOG = LoggerFactory.getLogger(WalUploader.class);
    private static final long PREPARE_TTL_MS = 10 * 60_000;
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 10_000;

    private final WriteAheadLog wal;
    private final ObjectStorage objectStorage;
    private final StreamMetadataStore metadata;
    private final UploadListener listener;
    private final ScheduledExecutorService executor;
    private final long maxObjectBytes;
    private final int blockBytes;
    private volatile boolean stopped;

    WalUploader(WriteAheadLog wal, ObjectStorage objectStorage, StreamMetadataStore metadata, UploadListener listener,
                ScheduledExecutorService executor, long maxObjectBytes, int blockBytes) {
        this.wal = wal;
        this.objectStorage = objectStorage;
        this.metadata = metadata;
        this.listener = listener;
        this.executor = executor;
        this.maxObjectBytes = maxObjectBytes;
        this.blockBytes = blockBytes;
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
            return metadata.prepareObjects(1, PREPARE_TTL_MS).thenComposeAsync(objectId -> {
                StreamSetObjectWriter writer = new StreamSetObjectWriter(objectId, blockBytes);
                for (StreamRecordBatch batch : plan.batches()) {
                    writer.add(batch);
                }
                ByteBuffer object = writer.finish();
                long size = object.remaining();
                return objectStorage.put(ObjectKeys.objectKey(objectId), object)
                        .thenComposeAsync(v -> metadata.commitObject(objectId, size, plan.ranges()), executor)
                        .thenComposeAsync(v -> {
                            LOG.info("uploaded object {}: {} streams, {} bytes ({} bytes of batches) from WAL {}..{}",
                                    objectId, plan.ranges().size(), size, plan.bytes(), from, slice.endPosition());
                            try {
                                listener.committed(objectId, plan.ranges());
                            } catch (RuntimeException e) {
                                LOG.error("upload listener failed", e);
                            }
                            return trim(slice.endPosition());
                        }, executor);
            }, executor);
        }, executor);
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
