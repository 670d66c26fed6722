package dev.stratus.metadata;

/**
 * Kafka's rules for legal topic names, so that every client and tool can address them. The
 * controller enforces them; the broker checks them too for {@code validateOnly} requests.
 */
public final class TopicNames {

    public static final int MAX_LENGTH = 249;

    /** Where consumer groups keep their state and committed offsets. */
    public static final String CONSUMER_OFFSETS = "__consumer_offsets";
    /** Where transaction coordinators keep their state (transactions arrive later). */
    public static final String TRANSACTION_STATE = "__transaction_state";

    private TopicNames() {
    }

    /** Returns why {@code name} is not a legal topic name, or null when it is. */
    public static String invalidReason(String name) {
        if (name == null || name.isEmpty()) {
            return "topic name is empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "topic name cannot be '.' or '..'";
        }
        if (name.length() > MAX_LENGTH) {
            return "topic name is longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!legal) {
                return "topic name '" + name + "' contains a character other than ASCII alphanumerics, '.', '_' and '-'";
            }
        }
        return null;
    }

    /** Kafka's internal topics: listed with isInternal=true, as tools expect. */
    public static boolean isInternal(String name) {
        return CONSUMER_OFFSETS.equals(name) || TRANSACTION_STATE.equals(name);
    }
}
