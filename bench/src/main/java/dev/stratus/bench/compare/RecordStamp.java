package dev.stratus.bench.compare;

/**
 * The first 8 bytes of every record value: the {@link System#nanoTime()} at which the record was
 * meant to be sent. Producers and consumers run in the harness's one JVM, so a consumer's
 * {@code nanoTime() - stamp} is the end-to-end latency on one clock, with nanosecond resolution
 * (record timestamps have only milliseconds). Stateless.
 */
final class RecordStamp {

    static final int BYTES = Long.BYTES;

    private RecordStamp() {
    }

    static void write(byte[] value, long nanos) {
        for (int i = 0; i < BYTES; i++) {
            value[i] = (byte) (nanos >>> (56 - 8 * i));
        }
    }

    static long read(byte[] value) {
        long nanos = 0;
        for (int i = 0; i < BYTES; i++) {
            nanos = (nanos << 8) | (value[i] & 0xFF);
        }
        return nanos;
    }
}
