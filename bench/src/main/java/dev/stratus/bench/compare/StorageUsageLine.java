package dev.stratus.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The storage usage a Stratus server logs at graceful shutdown (server class {@code StorageUsage}):
 * {@code Storage usage since start: wal.type=file wal.bytes=N wal.writes=N put.calls=N put.bytes=N ...},
 * parsed from the server's log. Immutable.
 */
record StorageUsageLine(Map<String, String> fields) {

    static final String PREFIX = "Storage usage since start:";

    /** The last such line in {@code log}, if the server got that far. */
    static Optional<StorageUsageLine> findIn(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        for (int i = lines.size() - 1; i >= 0; i--) {
            int at = lines.get(i).indexOf(PREFIX);
            if (at >= 0) {
                return Optional.of(parse(lines.get(i).substring(at + PREFIX.length())));
            }
        }
        return Optional.empty();
    }

    static StorageUsageLine parse(String pairs) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : pairs.trim().split("\\s+")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                fields.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return new StorageUsageLine(Map.copyOf(fields));
    }

    String walType() {
        return fields.getOrDefault("wal.type", "?");
    }

    long walBytes() {
        return number("wal.bytes");
    }

    /** fsyncs of the file WAL, objects of the object WAL. */
    long walWrites() {
        return number("wal.writes");
    }

    /** The object WAL's objects read back (GETs, also in {@code get.calls}); 0 when the line predates the field. */
    long walReads() {
        return fields.containsKey("wal.reads") ? number("wal.reads") : 0;
    }

    long walReadBytes() {
        return fields.containsKey("wal.read.bytes") ? number("wal.read.bytes") : 0;
    }

    /** Calls of one type: {@code put}, {@code get}, {@code head}, {@code list}, {@code delete}. */
    long calls(String type) {
        return number(type + ".calls");
    }

    long bytes(String type) {
        return number(type + ".bytes");
    }

    private long number(String key) {
        String value = fields.get(key);
        if (value == null) {
            throw new IllegalStateException("the storage usage line has no " + key + ": " + fields);
        }
        return Long.parseLong(value);
    }
}
