package dev.stratus.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecordStampTest {

    @Test
    void aStampReadsBackWhateverTheNanoTime() {
        byte[] value = new byte[1024];
        for (long nanos : new long[] {0, 1, System.nanoTime(), -System.nanoTime(), Long.MAX_VALUE, Long.MIN_VALUE}) {
            RecordStamp.write(value, nanos);
            assertThat(RecordStamp.read(value)).isEqualTo(nanos);
        }
    }
}
