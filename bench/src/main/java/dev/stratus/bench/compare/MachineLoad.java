package dev.stratus.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the whole machine was ({@code /proc/stat}: user-space and kernel CPU seconds of all
 * cores together) and what this harness JVM used ({@code /proc/self/stat}). Between two samples,
 * the machine's user-space CPU minus the server's and the harness's is what other processes took:
 * on a shared machine, the noise figure printed next to each system's results. Kernel CPU not
 * charged to the server or the harness is kept apart: much of it is work done for them outside
 * their processes (loopback networking in softirq, page-cache writeback by kernel threads).
 * Immutable; {@link #read} on any thread.
 */
record MachineLoad(double userCpuSeconds, double kernelCpuSeconds, double harnessUserCpuSeconds,
                   double harnessKernelCpuSeconds) {

    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    static MachineLoad read() {
        try {
            // "cpu  user nice system idle iowait irq softirq steal ..."
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long user = Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]);
            long kernel = Long.parseLong(cpu[3]) + Long.parseLong(cpu[6]) + Long.parseLong(cpu[7]);
            String self = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = self.substring(self.lastIndexOf(')') + 2).split(" ");
            return new MachineLoad(user / CLOCK_TICKS_PER_SECOND, kernel / CLOCK_TICKS_PER_SECOND,
                    Long.parseLong(fields[11]) / CLOCK_TICKS_PER_SECOND, Long.parseLong(fields[12]) / CLOCK_TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/stat", e);
        }
    }

    double harnessCpuSecondsSince(MachineLoad earlier) {
        return harnessUserCpuSeconds - earlier.harnessUserCpuSeconds + harnessKernelCpuSeconds - earlier.harnessKernelCpuSeconds;
    }

    /** User-space CPU seconds that neither the server nor this harness used between {@code earlier} and now. */
    double otherUserCpuSecondsSince(MachineLoad earlier, ProcessStats server) {
        return Math.max(0, userCpuSeconds - earlier.userCpuSeconds
                - (harnessUserCpuSeconds - earlier.harnessUserCpuSeconds) - server.userCpuSeconds());
    }

    /** Kernel CPU seconds not charged to the server or this harness between {@code earlier} and now. */
    double otherKernelCpuSecondsSince(MachineLoad earlier, ProcessStats server) {
        return Math.max(0, kernelCpuSeconds - earlier.kernelCpuSeconds
                - (harnessKernelCpuSeconds - earlier.harnessKernelCpuSeconds)
                - (server.cpuSeconds() - server.userCpuSeconds()));
    }
}
