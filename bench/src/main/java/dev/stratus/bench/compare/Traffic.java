package dev.stratus.bench.compare;

/**
 * Value bytes moved through one system over its whole run, by kind: produced, consumed at the
 * tail, and read back from the backlog (catch-up reads). The cost figures divide Stratus'
 * storage counters by these. Mutable; used by the harness's main thread only.
 */
final class Traffic {

    private long producedBytes;
    private long tailReadBytes;
    private long backlogReadBytes;

    void produced(long bytes) {
        producedBytes += bytes;
    }

    void readAtTail(long bytes) {
        tailReadBytes += bytes;
    }

    void readBacklog(long bytes) {
        backlogReadBytes += bytes;
    }

    long producedBytes() {
        return producedBytes;
    }

    long tailReadBytes() {
        return tailReadBytes;
    }

    long backlogReadBytes() {
        return backlogReadBytes;
    }
}
