package dev.stratus.storage.wal;

/**
 * What recovery found: {@code records} valid records in {@code [startPosition, endPosition)},
 * holding {@code bytes} bytes of payload, and why the scan stopped at {@code endPosition}.
 */
public record WalRecoveryResult(long startPosition, long endPosition, long records, long bytes, String stopReason) {
}
