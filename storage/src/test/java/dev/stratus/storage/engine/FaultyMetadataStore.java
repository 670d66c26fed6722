package dev.stratus.storage.engine;

import dev.stratus.storage.metadata.CommitRequest;
import dev.stratus.storage.metadata.InMemoryStreamMetadataStore;
import dev.stratus.storage.metadata.MarkedObject;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.StreamMetadata;
import dev.stratus.storage.metadata.StreamMetadataStore;
import dev.stratus.storage.metadata.StreamMetadataView;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A metadata store whose object commits fail while {@link #failCommits} is set, as if the controller were unreachable. */
final class FaultyMetadataStore implements StreamMetadataStore, StreamMetadataView {

    volatile boolean failCommits;
    final AtomicInteger failedCommits = new AtomicInteger();
    private final InMemoryStreamMetadataStore delegate;

    FaultyMetadataStore(InMemoryStreamMetadataStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Void> commitObjects(CommitRequest request) {
        if (failCommits) {
            failedCommits.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("injected: controller unreachable"));
        }
        return delegate.commitObjects(request);
    }

    @Override
    public CompletableFuture<Long> createStream() {
        return delegate.createStream();
    }

    @Override
    public CompletableFuture<StreamMetadata> openStream(long streamId, long epoch) {
        return delegate.openStream(streamId, epoch);
    }

    @Override
    public CompletableFuture<Void> closeStream(long streamId, long epoch) {
        return delegate.closeStream(streamId, epoch);
    }

    @Override
    public CompletableFuture<Void> trimStream(long streamId, long epoch, long newStartOffset) {
        return delegate.trimStream(streamId, epoch, newStartOffset);
    }

    @Override
    public CompletableFuture<Void> deleteStream(long streamId, long epoch) {
        return delegate.deleteStream(streamId, epoch);
    }

    @Override
    public CompletableFuture<StreamMetadata> describeStream(long streamId) {
        return delegate.describeStream(streamId);
    }

    @Override
    public CompletableFuture<Long> prepareObjects(int count, long ttlMs) {
        return delegate.prepareObjects(count, ttlMs);
    }

    @Override
    public CompletableFuture<List<ObjectMetadata>> objectsOf(long streamId, long startOffset, long endOffset, int limit) {
        return delegate.objectsOf(streamId, startOffset, endOffset, limit);
    }

    @Override
    public CompletableFuture<List<StreamMetadata>> allStreams() {
        return delegate.allStreams();
    }

    @Override
    public CompletableFuture<List<ObjectMetadata>> listObjects() {
        return delegate.listObjects();
    }

    @Override
    public CompletableFuture<List<Long>> markOrphans(List<Long> objectIds) {
        return delegate.markOrphans(objectIds);
    }

    @Override
    public CompletableFuture<List<MarkedObject>> markedObjects() {
        return delegate.markedObjects();
    }

    @Override
    public CompletableFuture<Void> forgetObjects(List<Long> objectIds) {
        return delegate.forgetObjects(objectIds);
    }
}
