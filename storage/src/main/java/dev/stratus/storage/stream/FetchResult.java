package dev.stratus.storage.stream;

import java.util.List;

/**
 * What a fetch returns: whole batches in offset order. The first batch may start before the
 * requested offset, and offsets may have gaps, so readers never assume contiguity.
 *
 * @param batches       the batches, possibly empty when nothing is readable yet
 * @param startOffset   the stream's first readable offset at the time of the fetch
 * @param confirmedOffset the stream's durable end offset (Kafka's high watermark) at that time
 */
public record FetchResult(List<StreamRecordBatch> batches, long startOffset, long confirmedOffset) {

    public FetchResult {
        batches = List.copyOf(batches);
    }

    public int sizeInBytes() {
        int size = 0;
        for (StreamRecordBatch batch : batches) {
            size += batch.sizeInBytes();
        }
        return size;
    }
}
