package dev.stratus.metadata.record;

/**
 * A change to the metadata. State changes only by replaying records, in journal order, so the
 * same records always rebuild the same state (on restart today, on every quorum member later).
 */
public sealed interface MetadataRecord permits TopicRecord, RemoveTopicRecord, PartitionRecord,
        StreamRecord, RemoveStreamRecord, ObjectRecord, NextObjectIdRecord, BrokerRecord, ProducerIdsRecord,
        ObjectsPreparedRecord, ObjectsMarkedRecord, ObjectsRemovedRecord, NextStreamIdRecord, FeatureLevelRecord,
        BrokerFencingRecord, BrokerDrainRecord {
}
