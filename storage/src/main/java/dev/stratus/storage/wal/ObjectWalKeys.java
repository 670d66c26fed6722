package dev.stratus.storage.wal;

/**
 * Object storage keys of the object WAL: {@code wal/<walNodeId>/<sequence, 20 digits>}. The
 * sequence is zero-padded so that listing order is sequence order. The epoch is not part of the
 * key on purpose: owners of every epoch write into one sequence space, and a conditional create
 * on a key is what fences a stale owner (see {@link ObjectWriteAheadLog}).
 *
 * <p>Stateless; safe from any thread.
 */
public final class ObjectWalKeys {

    public static final String ROOT = "wal/";
    private static final int SEQUENCE_DIGITS = 20;

    private ObjectWalKeys() {
    }

    /** Prefix of every object of one node's WAL. */
    public static String prefix(int walNodeId) {
        if (walNodeId < 0) {
            throw new IllegalArgumentException("negative node id " + walNodeId);
        }
        return ROOT + walNodeId + "/";
    }

    public static String key(int walNodeId, long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("negative sequence " + sequence);
        }
        String digits = Long.toString(sequence);
        return prefix(walNodeId) + "0".repeat(SEQUENCE_DIGITS - digits.length()) + digits;
    }

    /** The sequence of a key produced by {@link #key} for this node, or -1 for any other key. */
    public static long sequence(int walNodeId, String key) {
        String prefix = prefix(walNodeId);
        if (!key.startsWith(prefix) || key.length() != prefix.length() + SEQUENCE_DIGITS) {
            return -1;
        }
        for (int i = prefix.length(); i < key.length(); i++) {
            if (key.charAt(i) < '0' || key.charAt(i) > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(key.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
