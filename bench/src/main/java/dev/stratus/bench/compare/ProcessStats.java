package dev.stratus.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a server process has used so far, read from Linux's {@code /proc/<pid>}: CPU time
 * ({@code stat}: utime + stime, children excluded; and utime alone), resident memory now and at its peak
 * ({@code status}: VmRSS, VmHWM), and bytes it caused to be read from and written to block
 * devices ({@code io}: read_bytes, write_bytes; writes are counted when pages are dirtied, so
 * page-cache writes count too). Immutable; {@link #read} may run on any thread.
 */
record ProcessStats(double cpuSeconds, double userCpuSeconds, long rssBytes, long peakRssBytes, long diskReadBytes,
                    long diskWriteBytes) {

    /** Linux's USER_HZ: the unit of utime and stime. 100 on every mainstream architecture. */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    static ProcessStats read(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long userTicks = Long.parseLong(fields[11]); // utime (field 14)
            long ticks = userTicks + Long.parseLong(fields[12]); // + stime (field 15)
            List<String> status = Files.readAllLines(proc.resolve("status"));
            List<String> io = Files.readAllLines(proc.resolve("io"));
            return new ProcessStats(ticks / CLOCK_TICKS_PER_SECOND, userTicks / CLOCK_TICKS_PER_SECOND,
                    kibField(status, "VmRSS:") * 1024, kibField(status, "VmHWM:") * 1024,
                    field(io, "read_bytes:"), field(io, "write_bytes:"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + " (is the server still running?)", e);
        }
    }

    /** The resources used between {@code earlier} and this sample (memory: this sample's). */
    ProcessStats minus(ProcessStats earlier) {
        return new ProcessStats(cpuSeconds - earlier.cpuSeconds, userCpuSeconds - earlier.userCpuSeconds, rssBytes, peakRssBytes,
                diskReadBytes - earlier.diskReadBytes, diskWriteBytes - earlier.diskWriteBytes);
    }

    private static long kibField(List<String> lines, String name) {
        String value = value(lines, name);
        return Long.parseLong(value.replace("kB", "").trim());
    }

    private static long field(List<String> lines, String name) {
        return Long.parseLong(value(lines, name).trim());
    }

    private static String value(List<String> lines, String name) {
        for (String line : lines) {
            if (line.startsWith(name)) {
                return line.substring(name.length());
            }
        }
        throw new IllegalStateException("no " + name + " in /proc");
    }
}
