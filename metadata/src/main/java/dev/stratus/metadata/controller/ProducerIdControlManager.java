package dev.stratus.metadata.controller;

import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.record.ProducerIdsRecord;
import java.util.List;

/** Blocks of producer ids: the next {@code count} ids, recorded as handed out before anyone gets them. Pure. */
final class ProducerIdControlManager {

    ControllerResult<Long> allocate(MetadataImage image, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        long first = image.nextProducerId();
        return ControllerResult.of(List.of(new ProducerIdsRecord(first + count)), first);
    }
}
