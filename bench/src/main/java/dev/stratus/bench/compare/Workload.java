package dev.stratus.bench.compare;

import java.time.Duration;

/**
 * What every workload runs against: the node, its admin client, the settings, and the run's
 * traffic totals. Immutable holder; used by the harness's main thread.
 */
record Workload(SystemNode node, TopicAdmin admin, CompareSettings settings, Traffic traffic) {

    String bootstrap() {
        return node.bootstrapServers();
    }

    static void sleep(int seconds) throws InterruptedException {
        Thread.sleep(Duration.ofSeconds(seconds).toMillis());
    }

    /** Fails the run when a client saw errors: figures from a failing system are not figures. */
    static void requireNoErrors(String what, RateProducer producer) {
        if (producer.failedRecords() > 0 || producer.firstError() != null) {
            throw new IllegalStateException(what + ": " + producer.failedRecords() + " records failed, first error: "
                    + producer.firstError(), producer.firstError());
        }
    }
}
