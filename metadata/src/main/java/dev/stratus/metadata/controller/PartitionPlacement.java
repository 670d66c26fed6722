package dev.stratus.metadata.controller;

import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.BrokerRegistration;
import dev.stratus.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the leaders of new partitions: each goes to the unfenced broker leading the fewest
 * partitions so far (counting the ones placed in the same request), the lowest id on a tie, so
 * that partitions spread evenly. With no broker registered yet, partitions are led by no one
 * (-1) until one registers. A pure function of the image.
 */
final class PartitionPlacement {

    private PartitionPlacement() {
    }

    /** Leaders for {@code count} new partitions, in order. */
    static List<Integer> leaders(MetadataImage image, int count) {
        List<BrokerRegistration> brokers = new ArrayList<>(image.brokers().unfenced());
        List<Integer> leaders = new ArrayList<>(count);
        if (brokers.isEmpty()) {
            for (int i = 0; i < count; i++) {
                leaders.add(-1);
            }
            return leaders;
        }
        Map<Integer, Integer> led = new HashMap<>();
        brokers.forEach(b -> led.put(b.brokerId(), 0));
        for (TopicMetadata topic : image.topics()) {
            for (PartitionMetadata p : topic.partitions()) {
                led.computeIfPresent(p.leaderId(), (id, n) -> n + 1);
            }
        }
        for (int i = 0; i < count; i++) {
            int best = -1;
            for (BrokerRegistration b : brokers) {
                if (best == -1 || led.get(b.brokerId()) < led.get(best)) {
                    best = b.brokerId();
                }
            }
            leaders.add(best);
            led.merge(best, 1, Integer::sum);
        }
        return leaders;
    }
}
