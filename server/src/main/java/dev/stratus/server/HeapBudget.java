package dev.stratus.server;

import dev.stratus.server.config.ConfigException;
import dev.stratus.storage.engine.StorageConfig;
import dev.stratus.storage.format.StreamingObjectPut;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.wal.ObjectWalConfig;
import dev.stratus.storage.wal.WalConfig;
import dev.stratus.storage.wal.WalType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The most heap the storage engine can hold at once, term by term, checked against the JVM's
 * maximum heap at startup. Every term is a bound the engine keeps whatever the load (caches, the
 * data of one upload round and one compaction task, the WAL's queues), so a configuration whose
 * sum fits {@link #STORAGE_SHARE} of the heap cannot run out of memory in storage; one that does
 * not fit would, under sustained produce (as a 1 GiB server once did with uploads of twice the
 * threshold), so startup refuses it and says which settings to lower or how to raise the heap.
 *
 * <p>Immutable; built once by {@link StratusServer} at startup.
 */
final class HeapBudget {

    /** Share of the heap storage may take; the rest is for requests in flight, responses, metadata and the GC. */
    static final double STORAGE_SHARE = 0.75;

    /** One bound: what holds the memory (named by the settings that size it) and how much. */
    record Term(String what, long bytes) {
    }

    private final List<Term> terms;

    HeapBudget(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    /**
     * @param objectWal the object WAL's settings, used only when {@code walType} is {@code OBJECT}
     * @param objects   the object store, asked how much its writer buffers
     */
    static HeapBudget of(StorageConfig storage, WalType walType, WalConfig fileWal, ObjectWalConfig objectWal,
                         ObjectStorage objects) {
        List<Term> terms = new ArrayList<>();
        terms.add(new Term("log cache (log.cache.bytes)", storage.logCacheBytes()));
        terms.add(new Term("block cache (block.cache.bytes)", storage.blockCacheBytes()));
        terms.add(new Term("read-ahead windows (read.ahead.max.bytes x catchup.read.threads)",
                storage.readAheadMaxBytes() * storage.catchUpReadThreads()));
        long piece = StreamingObjectPut.PIECE_BYTES + storage.objectBlockBytes();
        terms.add(new Term("upload round (wal.upload.threshold.bytes, or message.max.bytes if larger, plus the object being written)",
                storage.maxObjectBytes() + piece + objects.writerMemoryBytes(storage.maxObjectBytes())));
        terms.add(new Term("compaction task (compaction.max.object.bytes plus the object being written)",
                storage.compactionMaxObjectBytes() + piece + objects.writerMemoryBytes(storage.compactionMaxObjectBytes())));
        if (walType == WalType.OBJECT) {
            terms.add(new Term("object WAL appends waiting and in flight (2 x wal.object.max.inflight.bytes)",
                    2 * objectWal.maxInFlightBytes()));
            terms.add(new Term("object WAL read cache", objectWal.readCacheBytes()));
        } else {
            terms.add(new Term("file WAL append queue and group write", fileWal.maxQueuedBytes() + fileWal.maxGroupBytes()));
        }
        return new HeapBudget(terms);
    }

    List<Term> terms() {
        return terms;
    }

    long totalBytes() {
        return terms.stream().mapToLong(Term::bytes).sum();
    }

    /** Fails with what to change when storage could take more than its share of {@code maxHeapBytes}. */
    void check(long maxHeapBytes) {
        long allowed = (long) (maxHeapBytes * STORAGE_SHARE);
        if (totalBytes() <= allowed) {
            return;
        }
        throw new ConfigException("storage settings need up to " + mib(totalBytes()) + " of heap, more than "
                + Math.round(STORAGE_SHARE * 100) + "% of the " + mib(maxHeapBytes) + " heap (" + mib(allowed)
                + "), and would run out of memory under load: " + describe()
                + ". Raise the heap (STRATUS_HEAP_OPTS, e.g. -Xmx" + suggestedHeapMiB() + "m) or lower the largest settings.");
    }

    /** The terms and their sum, for the startup log and the error. */
    String describe() {
        StringBuilder text = new StringBuilder();
        for (Term term : terms) {
            text.append(term.what()).append(' ').append(mib(term.bytes())).append(", ");
        }
        return text.append("total ").append(mib(totalBytes())).toString();
    }

    /** The smallest heap, rounded up to 256 MiB, that this budget fits. */
    long suggestedHeapMiB() {
        long needed = (long) Math.ceil(totalBytes() / STORAGE_SHARE / (1024 * 1024));
        return (needed + 255) / 256 * 256;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024));
    }
}
