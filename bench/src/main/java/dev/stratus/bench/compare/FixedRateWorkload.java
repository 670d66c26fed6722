package dev.stratus.bench.compare;

/**
 * Workload (a): one producer at a fixed rate to a fresh 16-partition topic, one consumer at its
 * tail. After a warm-up, measures produce latency (due to acknowledged), end-to-end latency (due
 * to consumed), the rate actually achieved, and the server's CPU. Runs on the harness's main thread.
 */
final class FixedRateWorkload {

    /** Results at one target rate. Immutable. */
    record Result(int targetMBps, Window produce, Window endToEnd, ResourceMeter.Use resources) {

        /** Achieved within 5% of the target. */
        boolean sustained() {
            return produce.megabytesPerSecond() >= 0.95 * targetMBps;
        }
    }

    private FixedRateWorkload() {
    }

    static Result run(Workload workload, int targetMBps) throws Exception {
        CompareSettings settings = workload.settings();
        return run(workload, "rate-" + targetMBps, targetMBps, settings.warmupSeconds(), settings.measureSeconds());
    }

    /** Warms the server up (JIT, first connections) at 20 MB/s; nothing is reported. */
    static void warmUpServer(Workload workload) throws Exception {
        run(workload, "warmup", 20, workload.settings().serverWarmupSeconds(), 1);
    }

    private static Result run(Workload workload, String topic, int targetMBps, int warmupSeconds, int measureSeconds)
            throws Exception {
        CompareSettings settings = workload.settings();
        workload.admin().createTopic(workload.bootstrap(), topic, settings.partitions());
        Window produce;
        Window endToEnd;
        ResourceMeter.Use resources;
        TailConsumer tail = TailConsumer.start(workload.bootstrap(), topic, settings.partitions());
        try {
            RateProducer producer = RateProducer.atRate(workload.bootstrap(), topic, settings.recordBytes(), targetMBps);
            try {
                Workload.sleep(warmupSeconds);
                producer.resetWindow();
                tail.resetWindow();
                ResourceMeter meter = ResourceMeter.start(workload.node().process());
                Workload.sleep(measureSeconds);
                produce = producer.takeWindow();
                endToEnd = tail.takeWindow();
                resources = meter.finish(produce.bytes() + endToEnd.bytes());
                producer.stopAndFlush();
                Workload.requireNoErrors("fixed rate " + targetMBps + " MB/s", producer);
            } finally {
                producer.close();
                workload.traffic().produced(producer.ackedBytes());
            }
        } finally {
            tail.close();
            workload.traffic().readAtTail(tail.consumedBytes());
        }
        if (tail.error() != null) {
            throw new IllegalStateException("tail consumer failed", tail.error());
        }
        return new Result(targetMBps, produce, endToEnd, resources);
    }
}
