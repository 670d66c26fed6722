package dev.stratus.storage.read;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadAheadPolicyTest {

    @Test
    void sequentialReadsGrowTheWindowUpToItsBound() {
        ReadAheadPolicy policy = new ReadAheadPolicy(256 * 1024, 16);
        long offset = 0;
        long[] windows = new long[6];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = policy.windowFor(1, offset);
            offset += 10;
            policy.readEnded(1, offset, windows[i]);
        }
        assertThat(windows).containsExactly(0, 64 * 1024, 128 * 1024, 256 * 1024, 256 * 1024, 256 * 1024);
    }

    @Test
    void aReadThatDoesNotContinueAReaderStartsWithoutReadAhead() {
        ReadAheadPolicy policy = new ReadAheadPolicy(1024 * 1024, 16);
        policy.readEnded(1, 100, 512 * 1024);
        assertThat(policy.windowFor(1, 5_000)).isZero(); // a seek
        assertThat(policy.windowFor(2, 100)).isZero(); // another stream
        assertThat(policy.windowFor(1, 100)).isEqualTo(1024 * 1024);
        assertThat(policy.windowFor(1, 100)).isZero(); // the reader moved on: its old position is forgotten
    }

    @Test
    void twoReadersOfOneStreamKeepTheirOwnWindowsAndOldReadersAreForgotten() {
        ReadAheadPolicy policy = new ReadAheadPolicy(1024 * 1024, 2);
        policy.readEnded(1, 100, 64 * 1024);
        policy.readEnded(1, 900, 256 * 1024);
        assertThat(policy.windowFor(1, 100)).isEqualTo(128 * 1024);
        assertThat(policy.windowFor(1, 900)).isEqualTo(512 * 1024);

        policy.readEnded(1, 1, 64 * 1024);
        policy.readEnded(1, 2, 64 * 1024);
        policy.readEnded(1, 3, 64 * 1024);
        assertThat(policy.windowFor(1, 1)).isZero();
        assertThat(new ReadAheadPolicy(0, 4).windowFor(1, 0)).isZero();
    }

    @Test
    void readersActiveAtOnceShareTheirBudgetSoThatTheirWindowsFitTheCacheTogether() {
        long[] now = {0};
        ReadAheadPolicy policy = new ReadAheadPolicy(4 * 1024 * 1024, 64, 8 * 1024 * 1024, () -> now[0]);
        for (long stream = 1; stream <= 16; stream++) {
            policy.readEnded(stream, 100, 4 * 1024 * 1024);
        }

        long window = policy.windowFor(1, 100);

        assertThat(window).isEqualTo(8 * 1024 * 1024 / 16);
    }

    @Test
    void aReaderAloneGetsItsWholeWindowWithinTheBudget() {
        long[] now = {0};
        ReadAheadPolicy policy = new ReadAheadPolicy(4 * 1024 * 1024, 64, 32 * 1024 * 1024, () -> now[0]);
        policy.readEnded(1, 100, 4 * 1024 * 1024);

        assertThat(policy.windowFor(1, 100)).isEqualTo(4 * 1024 * 1024);
    }

    @Test
    void readersThatStoppedReadingNoLongerTakeAShare() {
        long[] now = {0};
        ReadAheadPolicy policy = new ReadAheadPolicy(4 * 1024 * 1024, 64, 8 * 1024 * 1024, () -> now[0]);
        for (long stream = 2; stream <= 16; stream++) {
            policy.readEnded(stream, 100, 4 * 1024 * 1024);
        }
        now[0] += ReadAheadPolicy.ACTIVE_NANOS;
        policy.readEnded(1, 100, 4 * 1024 * 1024);

        assertThat(policy.windowFor(1, 100)).isEqualTo(4 * 1024 * 1024);
    }
}
