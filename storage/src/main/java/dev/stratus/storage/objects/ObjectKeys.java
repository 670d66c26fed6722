package dev.stratus.storage.objects;

/**
 * The one place that turns an object id into an object storage key and back. Keys spread over
 * 256 prefixes (the low byte of the id, in hex) so that an S3 bucket shards them evenly and a
 * directory never grows too large: {@code objects/<2 hex digits>/<16 hex digits of the id>}.
 *
 * <p>Stateless; safe from any thread.
 */
public final class ObjectKeys {

    /** Prefix under which every data object lives. */
    public static final String OBJECTS_PREFIX = "objects/";

    private ObjectKeys() {
    }

    public static String objectKey(long objectId) {
        if (objectId < 0) {
            throw new IllegalArgumentException("negative object id " + objectId);
        }
        return OBJECTS_PREFIX + String.format("%02x/%016x", objectId & 0xFF, objectId);
    }

    /** Parses a key produced by {@link #objectKey}; returns -1 for anything else. */
    public static long objectId(String key) {
        if (!key.startsWith(OBJECTS_PREFIX) || key.length() != OBJECTS_PREFIX.length() + 3 + 16) {
            return -1;
        }
        try {
            long id = Long.parseUnsignedLong(key.substring(OBJECTS_PREFIX.length() + 3), 16);
            return objectKey(id).equals(key) ? id : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
