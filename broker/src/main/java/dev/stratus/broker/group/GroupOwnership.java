package dev.stratus.broker.group;

import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.MetadataImage;

/**
 * Which broker coordinates the groups of a {@code __consumer_offsets} partition: the partition's
 * leader, so that a group's coordinator writes its own partition and moves with it. Before the
 * topic exists (it is created by the first write), the lowest-numbered live broker coordinates
 * every group; the groups move to their partitions' leaders once the topic is there. A pure
 * function of the image, so every broker agrees.
 */
final class GroupOwnership {

    private GroupOwnership() {
    }

    /** The coordinating broker of {@code partition}, -1 when none can be named. */
    static int coordinatorOf(MetadataImage image, int partition) {
        TopicMetadata topic = image.topic(OffsetsTopicLog.TOPIC);
        if (topic == null) {
            return image.brokers().compactionOwner();
        }
        PartitionMetadata p = topic.partition(partition);
        return p == null ? -1 : p.leaderId();
    }
}
