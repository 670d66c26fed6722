package dev.stratus.metadata.controller;

import dev.stratus.metadata.BrokerRegistrationRequest;
import dev.stratus.metadata.MetadataErrorCode;
import dev.stratus.metadata.MetadataException;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.BrokerRegistration;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.record.BrokerFencingRecord;
import dev.stratus.metadata.record.BrokerRecord;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.metadata.record.PartitionRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Broker registrations. Registering gives the broker the next epoch of its id, which fences
 * every earlier registration, and makes it leader, with a new leader epoch, of the partitions no
 * registered broker leads (created before any broker registered) and, when it is a new process
 * (another incarnation id), of those it led before, so that their streams are reopened with an
 * epoch the old process cannot use; that process's WAL was recovered before it registered. The
 * same process registering again after its lease ran out keeps its partitions and their epochs:
 * no one led them meanwhile. A fenced broker's partitions are not taken by another broker here:
 * its WAL may hold acknowledged data that only it (or a recovery of its WAL) can commit; moving
 * them is the partition-move work, which recovers that WAL first. Pure.
 */
final class BrokerControlManager {

    ControllerResult<Long> register(MetadataImage image, BrokerRegistrationRequest request) {
        long epoch = image.brokers().epoch(request.brokerId());
        BrokerRegistration current = image.brokers().broker(request.brokerId());
        // The same process registering again (its lease ran out while it was paused) still holds
        // its streams: no one else led its partitions meanwhile, so their epochs stay.
        boolean sameProcess = current != null && current.incarnationId().equals(request.incarnationId());
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new BrokerRecord(request.brokerId(), epoch + 1, request.incarnationId(), request.host(), request.port(),
                request.rack()));
        for (TopicMetadata topic : image.topics()) {
            for (PartitionMetadata p : topic.partitions()) {
                boolean own = p.leaderId() == request.brokerId();
                if ((own && !sameProcess) || (!own && image.brokers().broker(p.leaderId()) == null)) {
                    records.add(new PartitionRecord(topic.topicId(), p.partition(), p.streamId(), request.brokerId(),
                            p.leaderEpoch() + 1, p.checkpointStreamId(), p.movingTo()));
                }
            }
        }
        return ControllerResult.of(records, epoch + 1);
    }

    /**
     * Fences {@code brokerEpoch} of the broker (lease expired, or controlled shutdown); nothing
     * when the broker has since registered again or is fenced already. Answers whether it fenced.
     */
    ControllerResult<Boolean> fence(MetadataImage image, int brokerId, long brokerEpoch) {
        BrokerRegistration broker = image.brokers().broker(brokerId);
        if (broker == null || broker.epoch() != brokerEpoch || broker.fenced()) {
            return ControllerResult.none(false);
        }
        return ControllerResult.of(List.of(new BrokerFencingRecord(brokerId, brokerEpoch, true)), true);
    }

    /**
     * Refuses a broker's change when the broker is not registered with {@code brokerEpoch} or is
     * fenced: a broker that lost its lease can make nothing it still holds visible.
     */
    static void checkSession(MetadataImage image, int brokerId, long brokerEpoch) {
        BrokerRegistration broker = image.brokers().broker(brokerId);
        if (broker == null || broker.epoch() != brokerEpoch) {
            throw new MetadataException(MetadataErrorCode.STALE_BROKER_EPOCH, "broker " + brokerId + " epoch " + brokerEpoch
                    + " is not registered (current epoch " + (broker == null ? "none" : broker.epoch()) + ")");
        }
        if (broker.fenced()) {
            throw new MetadataException(MetadataErrorCode.STALE_BROKER_EPOCH, "broker " + brokerId + " epoch " + brokerEpoch
                    + " is fenced");
        }
    }
}
