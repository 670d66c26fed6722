package dev.stratus.metadata.image;

import dev.stratus.metadata.log.MetadataLogListener;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.metadata.record.RemoveTopicRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's committed metadata: applies each committed batch of the metadata log to the image
 * through a {@link MetadataDelta}, then hands the delta and the new image to every
 * {@link MetadataPublisher}, in log order. One per node, whatever its roles.
 *
 * <p>Thread: the log calls {@link #onCommit} from its one apply thread; {@link #subscribe} may
 * come from any thread and is serialised with commits, so a subscriber misses nothing and sees
 * nothing twice. {@link #image()} is lock-free from any thread.
 */
public final class MetadataLoader implements MetadataLogListener {

    private static final Logger log = LoggerFactory.getLogger(MetadataLoader.class);

    private final List<MetadataPublisher> publishers = new CopyOnWriteArrayList<>();
    /** Callers waiting for the image to reach an offset, by that offset. Guarded by this. */
    private final NavigableMap<Long, List<CompletableFuture<MetadataImage>>> waiters = new TreeMap<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;

    /** The last committed image. */
    public MetadataImage image() {
        return image;
    }

    /** Gives {@code publisher} the current image now (as a delta from the empty image), then every later change. */
    public synchronized void subscribe(MetadataPublisher publisher) {
        MetadataDelta initial = new MetadataDelta(MetadataImage.EMPTY).replayAll(ImageRecords.of(image));
        MetadataImage current = image;
        initial.apply(current.offset());
        publish(publisher, initial, current);
        publishers.add(publisher);
    }

    /** Completes with the image once it has applied everything up to {@code offset} (at once if it has). */
    public synchronized CompletableFuture<MetadataImage> awaitOffset(long offset) {
        if (image.offset() >= offset) {
            return CompletableFuture.completedFuture(image);
        }
        CompletableFuture<MetadataImage> reached = new CompletableFuture<>();
        waiters.computeIfAbsent(offset, o -> new ArrayList<>()).add(reached);
        return reached;
    }

    public void unsubscribe(MetadataPublisher publisher) {
        publishers.remove(publisher);
    }

    @Override
    public synchronized void onCommit(long offset, List<MetadataRecord> records) {
        MetadataDelta delta = new MetadataDelta(image).replayAll(records);
        MetadataImage next = delta.apply(offset);
        image = next;
        for (MetadataPublisher publisher : publishers) {
            publish(publisher, delta, next);
        }
        releaseWaiters(next);
    }

    @Override
    public synchronized void onSnapshot(long offset, List<MetadataRecord> records) {
        MetadataImage before = image;
        MetadataDelta rebuilt = new MetadataDelta(MetadataImage.EMPTY).replayAll(records);
        MetadataImage next = rebuilt.apply(offset);
        // Publishers react to what changed against what they knew: replay the new image over the old one.
        MetadataDelta change = new MetadataDelta(before);
        for (var id : before.topicsImage().byId().keySet()) {
            if (next.topic(id) == null) {
                change.replay(new RemoveTopicRecord(id));
            }
        }
        change.replayAll(ImageRecords.of(next));
        change.apply(offset);
        image = next;
        for (MetadataPublisher publisher : publishers) {
            publish(publisher, change, next);
        }
        releaseWaiters(next);
    }

    private void releaseWaiters(MetadataImage reached) {
        NavigableMap<Long, List<CompletableFuture<MetadataImage>>> due = waiters.headMap(reached.offset(), true);
        List<CompletableFuture<MetadataImage>> ready = new ArrayList<>();
        due.values().forEach(ready::addAll);
        due.clear();
        ready.forEach(f -> f.complete(reached));
    }

    @Override
    public List<MetadataRecord> snapshot() {
        return ImageRecords.of(image);
    }

    private static void publish(MetadataPublisher publisher, MetadataDelta delta, MetadataImage image) {
        try {
            publisher.onMetadataUpdate(delta, image);
        } catch (RuntimeException e) {
            log.error("Metadata publisher {} failed at offset {}", publisher, image.offset(), e);
        }
    }
}
