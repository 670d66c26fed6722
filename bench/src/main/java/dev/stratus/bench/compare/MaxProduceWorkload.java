package dev.stratus.bench.compare;

/**
 * Workload (b), produce side: one producer as fast as it can into the topic {@code backlog} until
 * {@link CompareSettings#maxProduceBytes()} or {@link CompareSettings#maxProduceSeconds()}; the
 * throughput counts what was acknowledged, flush included. What it writes is the backlog that the
 * read workloads consume. Runs on the harness's main thread.
 */
final class MaxProduceWorkload {

    static final String TOPIC = "backlog";

    /** Produce throughput and the latency that came with it. Immutable. */
    record Result(Window produce, ResourceMeter.Use resources) {
    }

    private MaxProduceWorkload() {
    }

    static Result run(Workload workload) throws Exception {
        CompareSettings settings = workload.settings();
        workload.admin().createTopic(workload.bootstrap(), TOPIC, settings.partitions());
        ResourceMeter meter = ResourceMeter.start(workload.node().process());
        RateProducer producer = RateProducer.unlimited(workload.bootstrap(), TOPIC, settings.recordBytes(),
                settings.maxProduceBytes() / settings.recordBytes());
        try {
            long deadlineNs = System.nanoTime() + settings.maxProduceSeconds() * 1_000_000_000L;
            while (producer.sending() && System.nanoTime() < deadlineNs) {
                Thread.sleep(100);
            }
            producer.stopAndFlush();
            Window produce = producer.takeWindow();
            Workload.requireNoErrors("maximum produce", producer);
            return new Result(produce, meter.finish(produce.bytes()));
        } finally {
            producer.close();
            workload.traffic().produced(producer.ackedBytes());
        }
    }
}
