package dev.stratus.storage.wal;

import java.util.Locale;

/** Which {@link WriteAheadLog} a node uses ({@code wal.type}). */
public enum WalType {
    /** {@link FileWriteAheadLog}: a preallocated local file or block device (the default). */
    FILE,
    /** {@link ObjectWriteAheadLog}: objects in object storage, recoverable by any node. */
    OBJECT;

    /** Parses a {@code wal.type} value ({@code file} or {@code object}, any case). */
    public static WalType parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown WAL type '" + value + "': expected file or object", e);
        }
    }

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
