package dev.stratus.metadata.rpc;

import dev.stratus.metadata.BrokerLoad;
import dev.stratus.metadata.BrokerRegistrationRequest;
import dev.stratus.metadata.config.ConfigOp;
import dev.stratus.storage.metadata.CommitRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A request a node sends to the active controller over the quorum's transport: every change a
 * broker asks for, and the fetch of committed metadata. The {@link Envelope} says who asks: a
 * broker's id and the epoch of its registration (-1 for none), which the controller checks
 * before a broker's change to streams and objects (a fenced broker's change is refused).
 */
public sealed interface ControllerRequest {

    /** The request with who sent it. */
    record Envelope(int brokerId, long brokerEpoch, ControllerRequest request) {
    }

    record RegisterBroker(BrokerRegistrationRequest registration) implements ControllerRequest {
    }

    /** The broker is alive and carries {@code load}; {@code shuttingDown} asks to be fenced now (controlled shutdown). */
    record BrokerHeartbeat(int brokerId, long brokerEpoch, boolean shuttingDown, BrokerLoad load) implements ControllerRequest {
    }

    record CreateTopic(String name, int partitions, Map<String, String> configs) implements ControllerRequest {
        public CreateTopic {
            configs = Map.copyOf(configs);
        }
    }

    record AlterTopicConfigs(String name, List<ConfigOp> ops, boolean replaceAll, boolean validateOnly)
            implements ControllerRequest {
        public AlterTopicConfigs {
            ops = List.copyOf(ops);
        }
    }

    record CreatePartitions(String name, int totalCount, boolean validateOnly) implements ControllerRequest {
    }

    record DeleteTopic(String name) implements ControllerRequest {
    }

    /** Starts moving a partition to broker {@code target}, or with -1 cancels its move. */
    record ReassignPartition(String name, int partition, int target) implements ControllerRequest {
    }

    /** Drains the sending broker: it takes no new partitions and its partitions move to others. */
    record DrainBroker() implements ControllerRequest {
    }

    /** The sending broker, the partition's leader, closed it at {@code leaderEpoch} for its move. */
    record CompletePartitionMove(UUID topicId, int partition, int leaderEpoch) implements ControllerRequest {
    }

    record AllocateProducerIds(int count) implements ControllerRequest {
    }

    record CreateStream() implements ControllerRequest {
    }

    record OpenStream(long streamId, long epoch) implements ControllerRequest {
    }

    record CloseStream(long streamId, long epoch) implements ControllerRequest {
    }

    record TrimStream(long streamId, long epoch, long newStartOffset) implements ControllerRequest {
    }

    record DeleteStream(long streamId, long epoch) implements ControllerRequest {
    }

    record PrepareObjects(int count, long ttlMs) implements ControllerRequest {
    }

    record CommitObjects(CommitRequest commit) implements ControllerRequest {
    }

    record MarkOrphans(List<Long> objectIds) implements ControllerRequest {
        public MarkOrphans {
            objectIds = List.copyOf(objectIds);
        }
    }

    record ForgetObjects(List<Long> objectIds) implements ControllerRequest {
        public ForgetObjects {
            objectIds = List.copyOf(objectIds);
        }
    }

    /** The quorum as the active controller sees it: leader, epoch, and how far each voter has replicated. */
    record DescribeQuorum() implements ControllerRequest {
    }

    /**
     * The committed batches after {@code afterOffset}; waits up to {@code maxWaitMs} for one
     * when there is none yet. A node too far behind gets a snapshot instead.
     */
    record FetchMetadata(long afterOffset, long maxWaitMs) implements ControllerRequest {
    }
}
