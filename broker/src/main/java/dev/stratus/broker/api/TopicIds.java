package dev.stratus.broker.api;

import java.util.UUID;
import org.apache.kafka.common.Uuid;

/** Converts between the metadata module's {@link UUID} and Kafka's {@link Uuid}. */
public final class TopicIds {

    private TopicIds() {
    }

    public static Uuid toKafka(UUID id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    public static UUID fromKafka(Uuid id) {
        return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }
}
