package dev.stratus.server;

import dev.stratus.storage.objects.ObjectStorageStats;
import dev.stratus.storage.objects.ObjectStorageStats.CallType;
import dev.stratus.storage.wal.FileWriteAheadLog;
import dev.stratus.storage.wal.ObjectWriteAheadLog;
import dev.stratus.storage.wal.WriteAheadLog;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a node's storage did between its start and its graceful shutdown: bytes written to the
 * WAL, the WAL's durable writes (fsyncs of the file WAL, objects of the object WAL), and the
 * object storage calls of every type with their bytes, as counted by {@link ObjectStorageStats}
 * (one call per billed request: multipart parts, retries and the S3 startup check included;
 * the object WAL's objects are PUTs too).
 *
 * <p>Logged once at shutdown as one line of {@code key=value} pairs ({@link #logLine()}), which
 * scripts read until a metrics endpoint exists: the Kafka comparison in {@code bench} derives
 * its requests per GiB and write amplification from it. Immutable.
 *
 * @param walType   {@code file} or {@code object}
 * @param walBytes  how far the WAL's position moved: framed records, plus for the file WAL the
 *                  padding of each group write to its 4 KiB page
 * @param walWrites durable writes of the WAL
 * @param walReads  the object WAL's objects read back from object storage (GETs, also counted in
 *                  {@code calls}): what uploads and tail reads fetched again once records had left
 *                  the WAL's read cache; 0 for the file WAL
 * @param walReadBytes bytes of those objects
 * @param calls     object storage calls and bytes by type
 */
public record StorageUsage(String walType, long walBytes, long walWrites, long walReads, long walReadBytes,
                           Map<CallType, Calls> calls) {

    /** Prefix of the log line, for whoever searches the log for it. */
    public static final String LOG_PREFIX = "Storage usage since start:";

    /** Calls of one type and the bytes they moved. */
    public record Calls(long count, long bytes) {
    }

    public StorageUsage {
        calls = Collections.unmodifiableMap(new EnumMap<>(calls));
    }

    /**
     * Reads the counters now. {@code walStartPosition} is the WAL's confirmed position when the
     * node started, after recovery; the WAL may be closed already (its counters stay readable).
     */
    static StorageUsage capture(WriteAheadLog wal, long walStartPosition, ObjectStorageStats stats) {
        String type = wal instanceof ObjectWriteAheadLog ? "object" : "file";
        long writes = 0;
        long reads = 0;
        long readBytes = 0;
        if (wal instanceof FileWriteAheadLog file) {
            writes = file.groupCommits();
        } else if (wal instanceof ObjectWriteAheadLog object) {
            writes = object.objectsWritten();
            reads = object.objectsReadBack();
            readBytes = object.bytesReadBack();
        }
        Map<CallType, Calls> calls = new EnumMap<>(CallType.class);
        for (CallType callType : CallType.values()) {
            calls.put(callType, new Calls(stats.calls(callType), stats.bytes(callType)));
        }
        return new StorageUsage(type, wal.confirmedPosition() - walStartPosition, writes, reads, readBytes, calls);
    }

    /**
     * E.g. {@code Storage usage since start: wal.type=file wal.bytes=4096 wal.writes=1 wal.reads=0
     * wal.read.bytes=0 put.calls=3 put.bytes=9000 get.calls=...}.
     */
    public String logLine() {
        StringBuilder line = new StringBuilder(LOG_PREFIX)
                .append(" wal.type=").append(walType)
                .append(" wal.bytes=").append(walBytes)
                .append(" wal.writes=").append(walWrites)
                .append(" wal.reads=").append(walReads)
                .append(" wal.read.bytes=").append(walReadBytes);
        calls.forEach((type, totals) -> {
            String name = type.name().toLowerCase(Locale.ROOT);
            line.append(' ').append(name).append(".calls=").append(totals.count())
                    .append(' ').append(name).append(".bytes=").append(totals.bytes());
        });
        return line.toString();
    }
}
