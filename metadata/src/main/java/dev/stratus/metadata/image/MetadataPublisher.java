package dev.stratus.metadata.image;

/**
 * Reacts to committed metadata: called with each delta and the image it produced, in log order,
 * on the loader's thread. A new subscriber first gets one delta from the empty image to the
 * current one. Implementations must not block (hand slow work to their own threads).
 */
@FunctionalInterface
public interface MetadataPublisher {

    void onMetadataUpdate(MetadataDelta delta, MetadataImage image);
}
