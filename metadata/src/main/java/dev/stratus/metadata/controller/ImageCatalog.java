package dev.stratus.metadata.controller;

import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.storage.metadata.ObjectCatalogRules;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.StreamMetadata;

/** The object rules' view of one image. Immutable like the image. */
record ImageCatalog(MetadataImage image) implements ObjectCatalogRules.Catalog {

    @Override
    public StreamMetadata stream(long streamId) {
        return image.streams().stream(streamId);
    }

    @Override
    public ObjectMetadata object(long objectId) {
        return image.objects().object(objectId);
    }

    @Override
    public boolean isMarked(long objectId) {
        return image.objects().isMarked(objectId);
    }

    @Override
    public boolean isPrepared(long objectId, long nowMs) {
        return image.objects().isPrepared(objectId, nowMs);
    }

    @Override
    public long nextObjectId() {
        return image.objects().nextObjectId();
    }
}
