package dev.stratus.metadata.image;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Finalized feature levels (such as {@code metadata.version}), by name. Immutable. */
public final class FeaturesImage {

    public static final FeaturesImage EMPTY = new FeaturesImage(new TreeMap<>());

    private final Map<String, Short> levels;

    FeaturesImage(Map<String, Short> levels) {
        this.levels = Collections.unmodifiableMap(new TreeMap<>(levels));
    }

    /** The finalized level, 0 when the feature is not finalized. */
    public short level(String name) {
        return levels.getOrDefault(name, (short) 0);
    }

    public Map<String, Short> all() {
        return levels;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeaturesImage other && levels.equals(other.levels);
    }

    @Override
    public int hashCode() {
        return levels.hashCode();
    }
}
