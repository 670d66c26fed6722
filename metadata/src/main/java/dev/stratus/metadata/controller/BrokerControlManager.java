package dev.stratus.metadata.controller;

import dev.stratus.metadata.BrokerRegistrationRequest;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.BrokerRegistration;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.record.BrokerRecord;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.metadata.record.PartitionRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Broker registrations. Registering gives the broker the next epoch of its id, which fences
 * every earlier incarnation, and makes it leader, with a new leader epoch, of the partitions it
 * led before and of those no live broker leads (so that the streams are reopened with an epoch
 * the old incarnation cannot use). Pure.
 */
final class BrokerControlManager {

    ControllerResult<Long> register(MetadataImage image, BrokerRegistrationRequest request) {
        long epoch = image.brokers().epoch(request.brokerId()) + 1;
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new BrokerRecord(request.brokerId(), epoch, request.incarnationId(), request.host(), request.port(),
                request.rack()));
        for (TopicMetadata topic : image.topics()) {
            for (PartitionMetadata p : topic.partitions()) {
                if (p.leaderId() == request.brokerId() || !isLive(image, p.leaderId())) {
                    records.add(new PartitionRecord(topic.topicId(), p.partition(), p.streamId(), request.brokerId(),
                            p.leaderEpoch() + 1));
                }
            }
        }
        return ControllerResult.of(records, epoch);
    }

    private static boolean isLive(MetadataImage image, int brokerId) {
        BrokerRegistration broker = image.brokers().broker(brokerId);
        return broker != null && !broker.fenced();
    }
}
