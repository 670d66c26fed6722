package dev.stratus.bench.compare;

/**
 * Measures a server process over one phase: samples {@code /proc} at the start and at the end.
 * Used by the harness's main thread.
 */
final class ResourceMeter {

    /**
     * What the server used in one phase: CPU seconds, the value bytes moved (produced plus consumed),
     * its resident memory at the end, and the bytes it wrote to block devices. Immutable.
     */
    record Use(double cpuSeconds, long bytesMoved, long rssBytes, long diskWriteBytes) {

        /** CPU seconds per GB (10^9 bytes) moved. */
        double cpuSecondsPerGigabyte() {
            return bytesMoved > 0 ? cpuSeconds / (bytesMoved / 1e9) : Double.NaN;
        }
    }

    private final long pid;
    private final ProcessStats start;

    private ResourceMeter(long pid) {
        this.pid = pid;
        this.start = ProcessStats.read(pid);
    }

    static ResourceMeter start(ServerProcess process) {
        return new ResourceMeter(process.pid());
    }

    Use finish(long bytesMoved) {
        ProcessStats used = ProcessStats.read(pid).minus(start);
        return new Use(used.cpuSeconds(), bytesMoved, used.rssBytes(), used.diskWriteBytes());
    }
}
