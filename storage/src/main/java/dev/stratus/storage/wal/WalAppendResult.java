package dev.stratus.storage.wal;

/**
 * Where an appended record landed: {@code [position, endPosition)}. {@code endPosition} is a
 * valid trim point once the record has been uploaded.
 */
public record WalAppendResult(long position, long endPosition) {
}
