package dev.stratus.broker;

import dev.stratus.metadata.quorum.QuorumVoter;
import java.util.List;

/**
 * How a broker lives in its cluster.
 *
 * @param rack                {@code broker.rack}, null for none: placement spreads partitions over racks
 * @param heartbeatIntervalMs {@code broker.heartbeat.interval.ms}: how often the broker renews its
 *                            lease with the controller (0 for a single node, whose lease never ends)
 * @param voters              {@code controller.quorum.voters}, empty for a single node (DescribeQuorum
 *                            lists their CONTROLLER endpoints)
 */
public record BrokerClusterSettings(String rack, long heartbeatIntervalMs, List<QuorumVoter> voters) {

    public BrokerClusterSettings {
        voters = List.copyOf(voters);
        if (heartbeatIntervalMs < 0) {
            throw new IllegalArgumentException("broker.heartbeat.interval.ms must not be negative: " + heartbeatIntervalMs);
        }
    }

    /** A single node: no rack, no heartbeats. */
    public static BrokerClusterSettings standalone() {
        return new BrokerClusterSettings(null, 0, List.of());
    }
}
