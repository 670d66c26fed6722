package dev.stratus.broker.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs and versions this broker implements, exactly what ApiVersions advertises. Floors are
 * Kafka 4.0's (KIP-896, which kafka-clients 4.1.1 also uses as its oldest versions); ceilings
 * are the newest versions whose every field we handle:
 * <ul>
 * <li>Produce 3-13 (v13 names topics by id);</li>
 * <li>Fetch 4-18 (v13+ names topics by id; later additions are replica-only tagged fields);</li>
 * <li>ListOffsets 1-10, Metadata 0-13, ApiVersions 0-4, CreateTopics 2-7, DeleteTopics 1-6,
 *     InitProducerId 0-6 (transactional ids are refused, see {@link InitProducerIdHandler}).</li>
 * </ul>
 * Immutable.
 */
public final class SupportedApis {

    /** An inclusive version range. */
    public record VersionRange(short min, short max) {
        public boolean contains(short version) {
            return version >= min && version <= max;
        }
    }

    private final Map<ApiKeys, VersionRange> ranges;

    private SupportedApis(Map<ApiKeys, VersionRange> ranges) {
        this.ranges = Collections.unmodifiableMap(new EnumMap<>(ranges));
    }

    public static SupportedApis stratus() {
        Map<ApiKeys, VersionRange> ranges = new EnumMap<>(ApiKeys.class);
        put(ranges, ApiKeys.PRODUCE, 3, 13);
        put(ranges, ApiKeys.FETCH, 4, 18);
        put(ranges, ApiKeys.LIST_OFFSETS, 1, 10);
        put(ranges, ApiKeys.METADATA, 0, 13);
        put(ranges, ApiKeys.API_VERSIONS, 0, 4);
        put(ranges, ApiKeys.CREATE_TOPICS, 2, 7);
        put(ranges, ApiKeys.DELETE_TOPICS, 1, 6);
        put(ranges, ApiKeys.INIT_PRODUCER_ID, 0, 6);
        return new SupportedApis(ranges);
    }

    private static void put(Map<ApiKeys, VersionRange> ranges, ApiKeys key, int min, int max) {
        if (min < key.oldestVersion() || max > key.latestVersion()) {
            throw new IllegalStateException(key + " " + min + "-" + max + " is outside what kafka-clients can parse: "
                    + key.oldestVersion() + "-" + key.latestVersion());
        }
        ranges.put(key, new VersionRange((short) min, (short) max));
    }

    public Map<ApiKeys, VersionRange> ranges() {
        return ranges;
    }

    public boolean supports(ApiKeys key, short version) {
        VersionRange range = ranges.get(key);
        return range != null && range.contains(version);
    }
}
