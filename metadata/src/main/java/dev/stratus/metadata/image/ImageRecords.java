package dev.stratus.metadata.image;

import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.record.BrokerDrainRecord;
import dev.stratus.metadata.record.BrokerFencingRecord;
import dev.stratus.metadata.record.BrokerRecord;
import dev.stratus.metadata.record.FeatureLevelRecord;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.metadata.record.NextObjectIdRecord;
import dev.stratus.metadata.record.NextStreamIdRecord;
import dev.stratus.metadata.record.ObjectRecord;
import dev.stratus.metadata.record.ObjectsMarkedRecord;
import dev.stratus.metadata.record.ObjectsPreparedRecord;
import dev.stratus.metadata.record.PartitionRecord;
import dev.stratus.metadata.record.ProducerIdsRecord;
import dev.stratus.metadata.record.StreamRecord;
import dev.stratus.metadata.record.TopicRecord;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.StreamMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * An image written out as the records that rebuild it exactly: replaying {@link #of} onto the
 * empty image gives an image equal to the original. This is the content of a snapshot, and
 * what a subscriber that joins late is first given. Stateless.
 */
public final class ImageRecords {

    private ImageRecords() {
    }

    public static List<MetadataRecord> of(MetadataImage image) {
        List<MetadataRecord> records = new ArrayList<>();
        image.features().all().forEach((name, level) -> records.add(new FeatureLevelRecord(name, level)));
        for (BrokerRegistration b : image.brokers().all()) {
            records.add(new BrokerRecord(b.brokerId(), b.epoch(), b.incarnationId(), b.host(), b.port(), b.rack()));
            if (b.fenced()) {
                records.add(new BrokerFencingRecord(b.brokerId(), b.epoch(), true));
            }
            if (b.draining()) {
                records.add(new BrokerDrainRecord(b.brokerId(), b.epoch()));
            }
        }
        // Streams before topics and objects: partitions name streams, object ranges index only streams that exist.
        image.streams().all().stream().sorted(Comparator.comparingLong(StreamMetadata::streamId)).forEach(s ->
                records.add(new StreamRecord(s.streamId(), s.epoch(), s.startOffset(), s.endOffset(), s.state())));
        records.add(new NextStreamIdRecord(image.streams().nextStreamId()));
        for (TopicMetadata topic : image.topics()) {
            records.add(new TopicRecord(topic.name(), topic.topicId(), topic.configs()));
            for (PartitionMetadata p : topic.partitions()) {
                records.add(PartitionRecord.of(topic.topicId(), p));
            }
        }
        ObjectsImage objects = image.objects();
        for (ObjectMetadata o : objects.live()) {
            records.add(new ObjectRecord(o.objectId(), o.sizeBytes(), o.ranges(), o.committedAtMs(), o.type()));
        }
        // A prepare as of the dawn of time expires nothing else when replayed.
        for (Map.Entry<Long, Long> prepared : objects.preparedUntilMs().entrySet()) {
            records.add(new ObjectsPreparedRecord(prepared.getKey(), 1, Long.MIN_VALUE, prepared.getValue()));
        }
        for (Map.Entry<Long, Long> marked : objects.markedAtMs().entrySet()) {
            records.add(new ObjectsMarkedRecord(List.of(marked.getKey()), marked.getValue()));
        }
        records.add(new NextObjectIdRecord(objects.nextObjectId()));
        records.add(new ProducerIdsRecord(image.nextProducerId()));
        return records;
    }
}
