package dev.stratus.broker.group;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * An immutable set of partitions named by topic id and index, as KIP-848 assigns them: a member's
 * current assignment, the partitions it is revoking, or its target. Topics with no partitions are
 * never kept, so two equal sets compare equal. Immutable, shared freely between threads.
 */
record Assignment(Map<Uuid, SortedSet<Integer>> partitions) {

    static final Assignment EMPTY = new Assignment(Map.of());

    Assignment {
        TreeMap<Uuid, SortedSet<Integer>> copy = new TreeMap<>();
        partitions.forEach((topic, indexes) -> {
            if (!indexes.isEmpty()) {
                copy.put(topic, Collections.unmodifiableSortedSet(new TreeSet<>(indexes)));
            }
        });
        partitions = Collections.unmodifiableMap(copy);
    }

    static Assignment of(Map<Uuid, ? extends Set<Integer>> partitions) {
        TreeMap<Uuid, SortedSet<Integer>> copy = new TreeMap<>();
        partitions.forEach((topic, indexes) -> copy.put(topic, new TreeSet<>(indexes)));
        return new Assignment(copy);
    }

    boolean isEmpty() {
        return partitions.isEmpty();
    }

    int size() {
        return partitions.values().stream().mapToInt(Set::size).sum();
    }

    boolean contains(Uuid topicId, int partition) {
        SortedSet<Integer> indexes = partitions.get(topicId);
        return indexes != null && indexes.contains(partition);
    }

    /** The partitions of this set that are not in {@code other}. */
    Assignment minus(Assignment other) {
        TreeMap<Uuid, SortedSet<Integer>> result = new TreeMap<>();
        partitions.forEach((topic, indexes) -> {
            TreeSet<Integer> kept = new TreeSet<>(indexes);
            kept.removeAll(other.partitions.getOrDefault(topic, Collections.emptySortedSet()));
            result.put(topic, kept);
        });
        return new Assignment(result);
    }

    /** The partitions in both sets. */
    Assignment intersect(Assignment other) {
        return minus(minus(other));
    }

    Assignment union(Assignment other) {
        TreeMap<Uuid, SortedSet<Integer>> result = new TreeMap<>();
        partitions.forEach((topic, indexes) -> result.put(topic, new TreeSet<>(indexes)));
        other.partitions.forEach((topic, indexes) -> result.computeIfAbsent(topic, t -> new TreeSet<>()).addAll(indexes));
        return new Assignment(result);
    }

    /** Whether no partition of this set is in {@code other}. */
    boolean disjoint(Assignment other) {
        return intersect(other).isEmpty();
    }
}
