package dev.stratus.storage.engine;

import dev.stratus.storage.cache.LogCache;
import dev.stratus.storage.compaction.CompactionAgent;
import dev.stratus.storage.format.ObjectIndexCache;
import dev.stratus.storage.format.ObjectReader;
import dev.stratus.storage.metadata.CommitRange;
import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.metadata.StreamMetadataView;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamStore;
import dev.stratus.storage.upload.UploadAgent;
import dev.stratus.storage.wal.FileWriteAheadLog;
import dev.stratus.storage.wal.WalRecoveryResult;
import dev.stratus.storage.wal.WriteAheadLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The storage engine of one node: streams over a WAL, a log cache and object storage, with an
 * upload agent moving WAL data into stream set objects (and stream objects for big streams)
 * committed to the stream metadata store, and a compaction agent keeping the objects few and
 * deleting the ones nothing references.
 *
 * <p>Lifecycle: construct (no threads yet), {@link #start()} (recover the WAL: upload and commit
 * what it held, then trim it), open streams, then either {@link #shutdown()} (graceful: upload
 * everything, trim the WAL, stop) or {@link #close()} (stop at once, as a crash would).
 *
 * <p>Threading: the engine's own state is the map of open streams (concurrent) and the
 * lifecycle state (volatile); the WAL writer thread confirms appends, the uploader thread
 * uploads, catch-up read threads ({@link ObjectFetcher}) serve reads that memory cannot.
 */
public final class StreamStorageEngine implements StreamStore {

    private static final Logger LOG = LoggerFactory.getLogger(StreamStorageEngine.class);
    private static final int INDEX_CACHE_ENTRIES = 1024;

    private enum Lifecycle { NEW, STARTING, RUNNING, STOPPING, STOPPED }

    private final StorageConfig config;
    private final ObjectStorage objectStorage;
    private final StreamMetadataStore metadata;
    private final StreamMetadataView view;
    private final Clock clock;
    private final WriteAheadLog wal;
    private final LogCache cache;
    private final ObjectFetcher objectFetcher;
    private final UploadAgent uploadAgent;
    private final CompactionAgent compactionAgent;
    private final ConcurrentHashMap<Long, StorageStream> streams = new ConcurrentHashMap<>();
    private volatile Lifecycle lifecycle = Lifecycle.NEW;

    /**
     * The engine the server builds: a file WAL at {@code config.walPath()}.
     *
     * @param objectStorage where objects go ({@code FsObjectStorage} embedded, S3 later); not closed by the engine
     * @param metadata      the controller's stream metadata and this node's view of it, in one object
     */
    public <M extends StreamMetadataStore & StreamMetadataView> StreamStorageEngine(StorageConfig config,
            ObjectStorage objectStorage, M metadata, Clock clock) {
        this(config, new FileWriteAheadLog(config.walConfig()), objectStorage, metadata, metadata, clock, () -> true);
    }

    /** An engine over any WAL (tests, and the object WAL). The engine owns and closes the WAL. */
    public <M extends StreamMetadataStore & StreamMetadataView> StreamStorageEngine(StorageConfig config, WriteAheadLog wal,
            ObjectStorage objectStorage, M metadata, Clock clock) {
        this(config, wal, objectStorage, metadata, metadata, clock, () -> true);
    }

    /**
     * The engine a node builds.
     *
     * @param metadata        where changes go: the active controller, in this process or another
     * @param view            what reads consult: this node's own copy of the metadata
     * @param compactionOwner whether this node is the one that compacts and collects garbage now
     */
    public StreamStorageEngine(StorageConfig config, WriteAheadLog wal, ObjectStorage objectStorage,
                               StreamMetadataStore metadata, StreamMetadataView view, Clock clock,
                               BooleanSupplier compactionOwner) {
        this.config = config;
        this.objectStorage = objectStorage;
        this.metadata = metadata;
        this.view = view;
        this.clock = clock;
        this.wal = wal;
        this.cache = new LogCache(config.logCacheBytes());
        this.objectFetcher = ObjectFetcher.create(config, view, objectStorage,
                new ObjectReader(objectStorage, new ObjectIndexCache(INDEX_CACHE_ENTRIES)), wal);
        this.uploadAgent = new UploadAgent(wal, objectStorage, metadata, view, this::committed, config.uploadSettings());
        this.compactionAgent = new CompactionAgent(objectStorage, metadata, view, config.compactionSettings(), clock,
                Thread::sleep, compactionOwner);
    }

    @Override
    public synchronized CompletableFuture<Void> start() {
        if (lifecycle != Lifecycle.NEW) {
            return CompletableFuture.failedFuture(new IllegalStateException("engine already started"));
        }
        lifecycle = Lifecycle.STARTING;
        long startMs = clock.millis();
        WalRecoveryResult recovery;
        try {
            recovery = wal.start();
        } catch (RuntimeException e) {
            lifecycle = Lifecycle.STOPPED;
            return CompletableFuture.failedFuture(e);
        }
        uploadAgent.start();
        if (recovery.records() == 0) {
            return wal.trim(recovery.endPosition()).thenRun(() -> started(startMs, "nothing to replay"));
        }
        LOG.info("WAL recovery: uploading {} records ({} bytes) not yet in object storage", recovery.records(), recovery.bytes());
        return uploadAgent.uploadAll("recovery").thenRun(() -> started(startMs,
                "recovered " + recovery.records() + " records (" + recovery.bytes() + " bytes) into object storage"));
    }

    private void started(long startMs, String what) {
        lifecycle = Lifecycle.RUNNING;
        compactionAgent.start();
        LOG.info("storage engine started in {} ms: {}; WAL trimmed to {}", clock.millis() - startMs, what, wal.trimPosition());
    }

    @Override
    public CompletableFuture<Long> createStream() {
        return metadata.createStream();
    }

    @Override
    public CompletableFuture<Stream> openStream(long streamId, long epoch) {
        if (lifecycle != Lifecycle.RUNNING) {
            return notRunning();
        }
        return metadata.openStream(streamId, epoch).thenCompose(committed -> {
            StorageStream previous = streams.get(streamId);
            CompletableFuture<Void> handOver = CompletableFuture.completedFuture(null);
            if (previous != null) {
                handOver = previous.stopAppends(previous.epoch() == epoch ? StorageStream.State.CLOSED : StorageStream.State.FENCED);
            }
            return handOver.thenApply(v -> {
                long start = committed.startOffset();
                long confirmed = committed.endOffset();
                if (previous != null && previous.confirmedOffset() > confirmed) {
                    // Data this node wrote under an earlier epoch and has not uploaded yet: the new opener continues it.
                    confirmed = previous.confirmedOffset();
                    start = Math.max(start, previous.startOffset());
                } else {
                    cache.removeStream(streamId);
                }
                cache.markUploaded(streamId, committed.endOffset());
                StorageStream stream = new StorageStream(this, streamId, epoch, start, confirmed);
                streams.put(streamId, stream);
                LOG.info("stream {} opened with epoch {} at offsets {}..{}", streamId, epoch, start, confirmed);
                return stream;
            });
        });
    }

    @Override
    public CompletableFuture<Void> deleteStream(long streamId, long epoch) {
        return metadata.deleteStream(streamId, epoch).thenRun(() -> {
            StorageStream stream = streams.remove(streamId);
            if (stream != null) {
                stream.stopAppends(StorageStream.State.CLOSED);
            }
            cache.removeStream(streamId);
            LOG.info("stream {} deleted", streamId);
        });
    }

    @Override
    public CompletableFuture<Void> uploadAll() {
        return wal.barrier().thenCompose(v -> uploadAgent.uploadAll("requested"));
    }

    /**
     * Uploads and commits only {@code streamId}'s WAL data (as one or more objects holding that
     * stream alone); the WAL is trimmed only over records that are all committed, so other
     * streams' data stays there, un-uploaded and readable, until their own upload.
     */
    @Override
    public CompletableFuture<Void> uploadStream(long streamId) {
        return wal.barrier().thenCompose(v -> uploadAgent.uploadStream(streamId, "requested"));
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        synchronized (this) {
            if (lifecycle != Lifecycle.RUNNING) {
                close();
                return CompletableFuture.completedFuture(null);
            }
            lifecycle = Lifecycle.STOPPING;
        }
        LOG.info("storage engine shutting down: uploading the WAL");
        List<CompletableFuture<Void>> drains = streams.values().stream()
                .map(stream -> stream.stopAppends(StorageStream.State.CLOSED)).toList();
        return CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new))
                .thenCompose(v -> wal.barrier())
                .thenCompose(v -> uploadAgent.uploadAll("shutdown"))
                .whenComplete((v, error) -> {
                    long trimmed = wal.trimPosition();
                    close();
                    if (error == null) {
                        LOG.info("storage engine shut down: WAL uploaded and trimmed to {}", trimmed);
                    } else {
                        LOG.error("storage engine shut down without uploading the whole WAL; the next start replays it", error);
                    }
                });
    }

    @Override
    public synchronized void close() {
        if (lifecycle == Lifecycle.STOPPED) {
            return;
        }
        lifecycle = Lifecycle.STOPPED;
        streams.values().forEach(stream -> stream.stopAppends(StorageStream.State.CLOSED));
        compactionAgent.close();
        uploadAgent.close();
        objectFetcher.close();
        wal.close();
        LOG.info("storage engine stopped");
    }

    /**
     * Compaction and garbage collection of the objects in object storage: runs every
     * {@link StorageConfig#compactionIntervalMs()} once started; {@code compaction().runOnce()} runs a round now.
     */
    public CompactionAgent compaction() {
        return compactionAgent;
    }

    /** After each object commit, on the upload thread: the committed data may leave the cache. */
    private void committed(long objectId, List<CommitRange> ranges) {
        for (CommitRange range : ranges) {
            cache.markUploaded(range.streamId(), range.endOffset());
        }
    }

    void closed(StorageStream stream) {
        if (streams.remove(stream.streamId(), stream)) {
            cache.removeStream(stream.streamId());
        }
    }

    private static <T> CompletableFuture<T> notRunning() {
        return CompletableFuture.failedFuture(new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, "storage engine not running"));
    }

    StorageConfig config() {
        return config;
    }

    WriteAheadLog wal() {
        return wal;
    }

    LogCache cache() {
        return cache;
    }

    @Override
    public long walBacklogBytes() {
        return Math.max(0, wal.confirmedPosition() - wal.trimPosition());
    }

    ObjectFetcher objectFetcher() {
        return objectFetcher;
    }

    UploadAgent uploadAgent() {
        return uploadAgent;
    }

    StreamMetadataStore metadata() {
        return metadata;
    }

    ObjectStorage objectStorage() {
        return objectStorage;
    }
}
