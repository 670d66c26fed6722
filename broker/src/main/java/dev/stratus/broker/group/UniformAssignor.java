package dev.stratus.broker.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * The {@code uniform} assignor (the default): spreads partitions so that members' partition counts
 * differ by at most one wherever subscriptions allow, and keeps each partition with its previous
 * owner where that does not hurt the balance. Three passes: keep the previous target's partitions
 * that are still subscribed, give each unowned partition to the least loaded member subscribing to
 * its topic, then move partitions from the most loaded member to a subscriber with at least two
 * fewer until no such move exists (each move lowers the sum of squared loads, so this ends).
 * Stateless.
 */
final class UniformAssignor implements ServerAssignor {

    static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    /** One partition of a topic. */
    private record Slot(Uuid topic, int partition) {
    }

    @Override
    public Map<String, Assignment> assign(Map<String, Set<Uuid>> subscriptions, Map<Uuid, Integer> partitionCounts,
                                          Map<String, Assignment> previous) {
        Map<String, TreeSet<Slot>> owned = new TreeMap<>();
        subscriptions.keySet().forEach(m -> owned.put(m, new TreeSet<>(UniformAssignor::compare)));
        Map<Slot, String> owner = new HashMap<>();
        for (Map.Entry<String, TreeSet<Slot>> entry : owned.entrySet()) {
            Assignment before = previous.getOrDefault(entry.getKey(), Assignment.EMPTY);
            Set<Uuid> topics = subscriptions.get(entry.getKey());
            before.partitions().forEach((topic, indexes) -> {
                int count = partitionCounts.getOrDefault(topic, 0);
                if (!topics.contains(topic)) {
                    return;
                }
                for (int index : indexes) {
                    Slot slot = new Slot(topic, index);
                    if (index < count && !owner.containsKey(slot)) {
                        owner.put(slot, entry.getKey());
                        entry.getValue().add(slot);
                    }
                }
            });
        }
        for (Map.Entry<Uuid, Integer> topic : new TreeMap<>(partitionCounts).entrySet()) {
            for (int index = 0; index < topic.getValue(); index++) {
                Slot slot = new Slot(topic.getKey(), index);
                if (owner.containsKey(slot)) {
                    continue;
                }
                String receiver = leastLoaded(owned, subscriptions, topic.getKey());
                if (receiver != null) {
                    owner.put(slot, receiver);
                    owned.get(receiver).add(slot);
                }
            }
        }
        balance(owned, subscriptions);
        Map<String, Assignment> result = new TreeMap<>();
        owned.forEach((member, slots) -> {
            Map<Uuid, Set<Integer>> partitions = new TreeMap<>();
            slots.forEach(s -> partitions.computeIfAbsent(s.topic(), t -> new TreeSet<>()).add(s.partition()));
            result.put(member, Assignment.of(partitions));
        });
        return result;
    }

    private static void balance(Map<String, TreeSet<Slot>> owned, Map<String, Set<Uuid>> subscriptions) {
        boolean moved = true;
        while (moved) {
            moved = false;
            List<String> donors = new ArrayList<>(owned.keySet());
            donors.sort((a, b) -> owned.get(b).size() - owned.get(a).size());
            for (String donor : donors) {
                for (Slot slot : owned.get(donor).descendingSet()) {
                    String receiver = leastLoaded(owned, subscriptions, slot.topic());
                    if (receiver != null && owned.get(donor).size() - owned.get(receiver).size() >= 2) {
                        owned.get(donor).remove(slot);
                        owned.get(receiver).add(slot);
                        moved = true;
                        break;
                    }
                }
                if (moved) {
                    break;
                }
            }
        }
    }

    /** The member subscribing to {@code topic} with the fewest partitions (ties: smallest member id). */
    private static String leastLoaded(Map<String, TreeSet<Slot>> owned, Map<String, Set<Uuid>> subscriptions, Uuid topic) {
        String best = null;
        for (Map.Entry<String, TreeSet<Slot>> entry : owned.entrySet()) {
            if (subscriptions.get(entry.getKey()).contains(topic)
                    && (best == null || entry.getValue().size() < owned.get(best).size())) {
                best = entry.getKey();
            }
        }
        return best;
    }

    private static int compare(Slot a, Slot b) {
        int byTopic = a.topic().compareTo(b.topic());
        return byTopic != 0 ? byTopic : Integer.compare(a.partition(), b.partition());
    }
}
