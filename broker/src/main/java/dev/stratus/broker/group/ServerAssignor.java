package dev.stratus.broker.group;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * A server-side partition assignor of the KIP-848 protocol ({@code group.remote.assignor} on the
 * client): from each member's subscribed topic ids, the topics' partition counts and the previous
 * target assignment, the new target assignment. Every partition of a subscribed topic goes to
 * exactly one member subscribing to it. Implementations are stateless and deterministic.
 */
interface ServerAssignor {

    /** The name clients ask for. */
    String name();

    /**
     * @param subscriptions   member id to the ids of the existing topics it subscribes to
     * @param partitionCounts topic id to its partition count (every subscribed topic)
     * @param previous        the previous target assignment by member id (may name gone members or topics)
     * @return the target assignment of every member in {@code subscriptions}
     */
    Map<String, Assignment> assign(Map<String, Set<Uuid>> subscriptions, Map<Uuid, Integer> partitionCounts,
                                   Map<String, Assignment> previous);

    /** The assignors this broker offers; the first is the default. */
    static ServerAssignor byName(String name) {
        if (name == null) {
            return null;
        }
        return switch (name) {
            case UniformAssignor.NAME -> new UniformAssignor();
            case RangeAssignor.NAME -> new RangeAssignor();
            default -> null;
        };
    }
}
