package dev.stratus.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the whole machine was: busy CPU seconds of all cores together ({@code /proc/stat}) and
 * this harness JVM's own CPU seconds ({@code /proc/self/stat}). Between two samples, the busy time
 * minus the server's and the harness's is what other processes took: on a shared machine, the
 * noise figure printed next to each system's results. Immutable; {@link #read} on any thread.
 */
record MachineLoad(double busyCpuSeconds, double harnessCpuSeconds) {

    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    static MachineLoad read() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0); // "cpu  user nice system idle iowait irq softirq steal ..."
            String[] fields = cpu.trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle and iowait are not busy
                    busy += Long.parseLong(fields[i]);
                }
            }
            String self = Files.readString(Path.of("/proc/self/stat"));
            String[] selfFields = self.substring(self.lastIndexOf(')') + 2).split(" ");
            long harnessTicks = Long.parseLong(selfFields[11]) + Long.parseLong(selfFields[12]);
            return new MachineLoad(busy / CLOCK_TICKS_PER_SECOND, harnessTicks / CLOCK_TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/stat", e);
        }
    }

    /** CPU seconds that neither the server nor this harness used between {@code earlier} and now. */
    double otherCpuSecondsSince(MachineLoad earlier, double serverCpuSeconds) {
        return Math.max(0, (busyCpuSeconds - earlier.busyCpuSeconds) - (harnessCpuSeconds - earlier.harnessCpuSeconds)
                - serverCpuSeconds);
    }
}
