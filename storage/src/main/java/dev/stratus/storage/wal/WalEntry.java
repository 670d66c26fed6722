package dev.stratus.storage.wal;

import dev.stratus.storage.stream.StreamRecordBatch;

/** A record read back from the WAL: its batch and where it lies ({@code [position, endPosition)}, padding included). */
public record WalEntry(long position, long endPosition, StreamRecordBatch batch) {
}
