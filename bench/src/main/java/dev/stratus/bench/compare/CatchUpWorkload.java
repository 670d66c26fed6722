package dev.stratus.bench.compare;

import java.time.Duration;

/**
 * Workload (c): producers keep a fixed rate into {@code backlog} while a consumer reads the
 * backlog from the beginning. Measures the producers' latency before the reader starts and while
 * it reads, and the reader's throughput: does a consumer catching up slow the producers down?
 * Runs on the harness's main thread.
 */
final class CatchUpWorkload {

    /** Producer latency before and during the catch-up, and the catch-up read. Immutable. */
    record Result(int rateMBps, Window before, Window during, BacklogReader.Result read, ResourceMeter.Use resources) {
    }

    private CatchUpWorkload() {
    }

    static Result run(Workload workload) throws Exception {
        CompareSettings settings = workload.settings();
        RateProducer producer = RateProducer.atRate(workload.bootstrap(), MaxProduceWorkload.TOPIC, settings.recordBytes(),
                settings.catchUpRateMBps());
        try {
            Workload.sleep(settings.warmupSeconds());
            producer.resetWindow();
            Workload.sleep(settings.catchUpBeforeSeconds());
            Window before = producer.takeWindow();
            ResourceMeter meter = ResourceMeter.start(workload.node().process());
            BacklogReader.Result read = BacklogReader.readAll(workload.bootstrap(), MaxProduceWorkload.TOPIC,
                    settings.partitions(), Duration.ofSeconds(settings.readTimeoutSeconds()));
            Window during = producer.takeWindow();
            ResourceMeter.Use resources = meter.finish(read.bytes() + during.bytes());
            workload.traffic().readBacklog(read.bytes());
            producer.stopAndFlush();
            Workload.requireNoErrors("catch-up producer", producer);
            return new Result(settings.catchUpRateMBps(), before, during, read, resources);
        } finally {
            producer.close();
            workload.traffic().produced(producer.ackedBytes());
        }
    }
}
