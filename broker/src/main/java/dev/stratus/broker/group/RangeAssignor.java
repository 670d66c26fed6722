package dev.stratus.broker.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * The {@code range} assignor: per topic, the members subscribing to it (ordered by member id) get
 * consecutive ranges of partitions, the first {@code partitions mod members} one partition more,
 * so that co-partitioned topics are assigned alike. Does not look at the previous assignment.
 * Stateless.
 */
final class RangeAssignor implements ServerAssignor {

    static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Assignment> assign(Map<String, Set<Uuid>> subscriptions, Map<Uuid, Integer> partitionCounts,
                                          Map<String, Assignment> previous) {
        Map<String, Map<Uuid, Set<Integer>>> byMember = new TreeMap<>();
        subscriptions.keySet().forEach(m -> byMember.put(m, new TreeMap<>()));
        for (Map.Entry<Uuid, Integer> topic : partitionCounts.entrySet()) {
            List<String> subscribers = new ArrayList<>();
            for (Map.Entry<String, Set<Uuid>> member : new TreeMap<>(subscriptions).entrySet()) {
                if (member.getValue().contains(topic.getKey())) {
                    subscribers.add(member.getKey());
                }
            }
            if (subscribers.isEmpty()) {
                continue;
            }
            int count = topic.getValue();
            int each = count / subscribers.size();
            int extra = count % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int take = each + (i < extra ? 1 : 0);
                Set<Integer> range = new TreeSet<>();
                for (int p = next; p < next + take; p++) {
                    range.add(p);
                }
                next += take;
                byMember.get(subscribers.get(i)).put(topic.getKey(), range);
            }
        }
        Map<String, Assignment> result = new TreeMap<>();
        byMember.forEach((member, partitions) -> result.put(member, Assignment.of(partitions)));
        return result;
    }
}
