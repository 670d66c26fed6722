package dev.stratus.bench.compare;

/**
 * Stratus' storage counters from one run, turned into rates per byte moved: what the cost model
 * and the storage table use. The object WAL's objects are PUTs too; they are separated from the
 * uploads' PUTs here ({@code wal.writes} counts them, {@code wal.bytes} their payload), and the
 * object WAL's objects read back (by uploads and tail reads once records left its read cache) are
 * separated from the GETs of uploaded objects ({@code wal.reads}, {@code wal.read.bytes}). The S3
 * startup check (one LIST, PUT, GET and DELETE) is included. Immutable.
 */
record StorageFigures(boolean objectWal, double producedGiB, double backlogReadGiB, double walBytesPerByteProduced,
                      long walWrites, double walWritesPerSecond, double uploadPutsPerGiBProduced,
                      double uploadBytesPerByteProduced, double getsPerGiBRead, double getBytesPerByteRead,
                      long walReads, double walReadBytesPerByteProduced,
                      long listCalls, long deleteCalls, double localDiskBytesPerByteProduced) {

    private static final double GIB = 1L << 30;

    /** Null when the run has no storage usage line (Kafka, or a Stratus run that failed). */
    static StorageFigures of(SystemResult result) {
        if (result.storageUsage().isEmpty() || result.producedBytes() == 0) {
            return null;
        }
        StorageUsageLine usage = result.storageUsage().get();
        boolean objectWal = usage.walType().equals("object");
        double produced = result.producedBytes();
        double read = Math.max(1, result.backlogReadBytes());
        long walPuts = objectWal ? usage.walWrites() : 0;
        long walPutBytes = objectWal ? usage.walBytes() : 0;
        double seconds = result.load() != null ? result.load().seconds() : Double.NaN;
        return new StorageFigures(objectWal, produced / GIB, result.backlogReadBytes() / GIB, usage.walBytes() / produced,
                usage.walWrites(), usage.walWrites() / seconds,
                (usage.calls("put") - walPuts) / (produced / GIB),
                (usage.bytes("put") - walPutBytes) / produced,
                (usage.calls("get") - usage.walReads()) / (read / GIB), (usage.bytes("get") - usage.walReadBytes()) / read,
                usage.walReads(), usage.walReadBytes() / produced,
                usage.calls("list"), usage.calls("delete"),
                result.whole() != null ? result.whole().diskWriteBytes() / produced : Double.NaN);
    }
}
