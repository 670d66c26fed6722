package dev.stratus.broker.fetch;

import java.util.Objects;
import org.apache.kafka.common.Uuid;

/**
 * How a Fetch names one partition: by topic id from Fetch v13, by topic name before. Exactly one
 * of the two is set (the other is {@link Uuid#ZERO_UUID} or {@code ""}), so a session keyed by ids
 * and one keyed by names never confuse their partitions. Immutable; any thread.
 */
record PartitionKey(Uuid topicId, String topic, int partition) {

    PartitionKey {
        Objects.requireNonNull(topicId, "topicId");
        Objects.requireNonNull(topic, "topic");
    }

    static PartitionKey of(boolean byId, Uuid topicId, String topic, int partition) {
        return byId ? new PartitionKey(topicId == null ? Uuid.ZERO_UUID : topicId, "", partition)
                : new PartitionKey(Uuid.ZERO_UUID, topic == null ? "" : topic, partition);
    }

    /** Whether this partition belongs to the same topic as {@code other}. */
    boolean sameTopic(PartitionKey other) {
        return topicId.equals(other.topicId) && topic.equals(other.topic);
    }
}
