package dev.stratus.metadata.controller;

import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.BrokerRegistration;
import dev.stratus.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Chooses the leaders of new partitions so that they spread evenly: each goes to the rack
 * leading the fewest partitions so far (brokers without {@code broker.rack} count as one rack
 * each), and within it to the placeable (unfenced, not draining) broker leading the fewest, the
 * lowest id on a tie;
 * partitions placed by the same request count. With no broker registered yet, partitions are
 * led by no one (-1) until one registers. A pure function of the image.
 */
final class PartitionPlacement {

    private PartitionPlacement() {
    }

    /** Leaders for {@code count} new partitions, in order. */
    static List<Integer> leaders(MetadataImage image, int count) {
        return leaders(image, count, -1);
    }

    /**
     * Leaders for {@code count} partitions, in order, on brokers that may take partitions
     * (neither fenced nor draining) other than {@code excluded}: all -1 when there is none.
     */
    static List<Integer> leaders(MetadataImage image, int count, int excluded) {
        List<BrokerRegistration> brokers = new ArrayList<>(image.brokers().placeable().stream()
                .filter(b -> b.brokerId() != excluded).toList());
        List<Integer> leaders = new ArrayList<>(count);
        if (brokers.isEmpty()) {
            for (int i = 0; i < count; i++) {
                leaders.add(-1);
            }
            return leaders;
        }
        Map<Integer, Integer> byBroker = new HashMap<>();
        Map<String, Integer> byRack = new HashMap<>();
        brokers.forEach(b -> {
            byBroker.put(b.brokerId(), 0);
            byRack.put(rackOf(b), 0);
        });
        Map<Integer, String> rackOfBroker = new HashMap<>();
        brokers.forEach(b -> rackOfBroker.put(b.brokerId(), rackOf(b)));
        for (TopicMetadata topic : image.topics()) {
            for (PartitionMetadata p : topic.partitions()) {
                if (byBroker.containsKey(p.leaderId())) {
                    byBroker.merge(p.leaderId(), 1, Integer::sum);
                    byRack.merge(rackOfBroker.get(p.leaderId()), 1, Integer::sum);
                }
            }
        }
        for (int i = 0; i < count; i++) {
            BrokerRegistration best = null;
            for (BrokerRegistration b : brokers) {
                if (best == null || better(b, best, byBroker, byRack)) {
                    best = b;
                }
            }
            leaders.add(best.brokerId());
            byBroker.merge(best.brokerId(), 1, Integer::sum);
            byRack.merge(rackOf(best), 1, Integer::sum);
        }
        return leaders;
    }

    private static boolean better(BrokerRegistration candidate, BrokerRegistration best, Map<Integer, Integer> byBroker,
                                  Map<String, Integer> byRack) {
        int rackLoad = byRack.get(rackOf(candidate));
        int bestRackLoad = byRack.get(rackOf(best));
        if (rackLoad != bestRackLoad) {
            return rackLoad < bestRackLoad;
        }
        return byBroker.get(candidate.brokerId()) < byBroker.get(best.brokerId());
    }

    /** A broker's rack, or a rack of its own when it names none. */
    private static String rackOf(BrokerRegistration broker) {
        return Objects.requireNonNullElse(broker.rack(), "\u0000broker-" + broker.brokerId());
    }
}
