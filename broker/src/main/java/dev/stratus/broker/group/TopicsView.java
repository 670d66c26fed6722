package dev.stratus.broker.group;

import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * What the KIP-848 coordinator needs to know of the cluster's topics: ids and partition counts, to
 * resolve subscriptions and compute assignments. Implementations read the broker's current
 * metadata image and may be called from any thread.
 */
interface TopicsView {

    /** No topics (tests of the classic protocol need none). */
    TopicsView NONE = new TopicsView() {
        @Override
        public Topic byName(String name) {
            return null;
        }

        @Override
        public Topic byId(Uuid id) {
            return null;
        }

        @Override
        public Collection<Topic> all() {
            return List.of();
        }
    };

    /** A topic as assignors see it. */
    record Topic(String name, Uuid id, int partitions) {
    }

    /** The topic named {@code name}, or null. */
    Topic byName(String name);

    /** The topic with id {@code id}, or null. */
    Topic byId(Uuid id);

    /** Every topic (regex subscriptions match against these names). */
    Collection<Topic> all();
}
