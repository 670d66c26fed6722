package dev.stratus.metadata.image;

import dev.stratus.storage.metadata.MarkedObject;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.StreamMetadata;
import dev.stratus.storage.metadata.StreamMetadataView;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The storage engine's reads, answered from this node's committed image: no call leaves the
 * process. Thread-safe: every call reads the loader's current image, which never changes.
 */
public final class ImageStreamMetadataView implements StreamMetadataView {

    private final MetadataLoader loader;

    public ImageStreamMetadataView(MetadataLoader loader) {
        this.loader = loader;
    }

    @Override
    public CompletableFuture<StreamMetadata> describeStream(long streamId) {
        StreamMetadata stream = loader.image().streams().stream(streamId);
        return stream != null ? CompletableFuture.completedFuture(stream) : CompletableFuture.failedFuture(notFound(streamId));
    }

    @Override
    public CompletableFuture<List<ObjectMetadata>> listObjects() {
        return CompletableFuture.completedFuture(loader.image().objects().live());
    }

    @Override
    public CompletableFuture<List<MarkedObject>> markedObjects() {
        return CompletableFuture.completedFuture(loader.image().objects().marked());
    }

    @Override
    public CompletableFuture<List<ObjectMetadata>> objectsOf(long streamId, long startOffset, long endOffset, int limit) {
        MetadataImage image = loader.image();
        if (image.streams().stream(streamId) == null) {
            return CompletableFuture.failedFuture(notFound(streamId));
        }
        return CompletableFuture.completedFuture(image.objects().objectsOf(streamId, startOffset, endOffset, limit));
    }

    @Override
    public CompletableFuture<List<StreamMetadata>> allStreams() {
        return CompletableFuture.completedFuture(List.copyOf(loader.image().streams().all()));
    }

    private static StreamException notFound(long streamId) {
        return new StreamException(StreamErrorCode.STREAM_NOT_FOUND, "stream " + streamId + " does not exist");
    }
}
