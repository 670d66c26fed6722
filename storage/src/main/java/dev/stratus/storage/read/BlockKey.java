package dev.stratus.storage.read;

/**
 * Names one data block: the object it lives in and its position in that object's index
 * ({@link dev.stratus.storage.format.ObjectIndex#entries()}). Objects are immutable and their ids
 * never reused, so a key always names the same bytes.
 */
public record BlockKey(long objectId, int blockIndex) {
}
