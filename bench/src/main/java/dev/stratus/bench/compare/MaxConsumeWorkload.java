package dev.stratus.bench.compare;

import java.time.Duration;

/**
 * Workload (b), consume side: one consumer reads the whole {@code backlog} topic from the
 * beginning with nothing else running. For Stratus most of it comes from object storage (what
 * the log cache no longer holds); for Kafka from the page cache (the machine has RAM to spare).
 * Runs on the harness's main thread.
 */
final class MaxConsumeWorkload {

    /** Read throughput. Immutable. */
    record Result(BacklogReader.Result read, ResourceMeter.Use resources) {
    }

    private MaxConsumeWorkload() {
    }

    static Result run(Workload workload) {
        CompareSettings settings = workload.settings();
        ResourceMeter meter = ResourceMeter.start(workload.node().process());
        BacklogReader.Result read = BacklogReader.readAll(workload.bootstrap(), MaxProduceWorkload.TOPIC,
                settings.partitions(), Duration.ofSeconds(settings.readTimeoutSeconds()));
        workload.traffic().readBacklog(read.bytes());
        return new Result(read, meter.finish(read.bytes()));
    }
}
