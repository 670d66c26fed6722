package dev.stratus.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ProducerStateTableTest {

    private final ProducerStateTable table = new ProducerStateTable();

    private void append(long producerId, int epoch, int first, int last, long baseOffset) {
        assertThat(table.check(producerId, (short) epoch, first, last)).isInstanceOf(ProducerStateTable.Append.class);
        table.record(producerId, (short) epoch, new ProducerStateTable.BatchEntry(first, last, baseOffset,
                baseOffset + last - first, CompletableFuture.completedFuture(baseOffset)));
    }

    @Test
    void onlyTheLastFiveBatchesAreRecognisedAsDuplicates() {
        for (int i = 0; i < 7; i++) {
            append(1L, 0, i, i, i);
        }
        assertThat(table.check(1L, (short) 0, 6, 6)).isInstanceOf(ProducerStateTable.Duplicate.class);
        assertThat(table.check(1L, (short) 0, 2, 2)).isInstanceOf(ProducerStateTable.Duplicate.class);
        assertThat(table.check(1L, (short) 0, 1, 1)).isInstanceOfSatisfying(ProducerStateTable.Reject.class,
                r -> assertThat(r.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
    }

    @Test
    void sequenceWrapsFromIntegerMaxToZero() {
        append(1L, 0, Integer.MAX_VALUE - 1, Integer.MAX_VALUE, 0);
        assertThat(table.check(1L, (short) 0, 0, 3)).isInstanceOf(ProducerStateTable.Append.class);
    }

    @Test
    void producersWithoutIdAreNeverChecked() {
        assertThat(table.check(-1L, (short) -1, -1, -1)).isInstanceOf(ProducerStateTable.Append.class);
    }
}
