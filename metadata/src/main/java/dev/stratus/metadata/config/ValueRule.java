package dev.stratus.metadata.config;

import java.util.Arrays;
import java.util.List;

/**
 * How a config value is checked; {@link #problem} answers null for a good value, or the reason
 * in Kafka's wording ("Value must be at least 0", "String must be one of: ..."). Stateless.
 */
@FunctionalInterface
public interface ValueRule {

    String problem(String value);

    /** A long in {@code [min, max]}. */
    static ValueRule longIn(long min, long max) {
        return value -> {
            long parsed;
            try {
                parsed = Long.parseLong(value);
            } catch (NumberFormatException e) {
                return "Not a number of type LONG";
            }
            return range(parsed, min, max);
        };
    }

    /** An int in {@code [min, max]}. */
    static ValueRule intIn(int min, int max) {
        return value -> {
            int parsed;
            try {
                parsed = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                return "Not a number of type INT";
            }
            return range(parsed, min, max);
        };
    }

    /** A double in {@code [min, max]}. */
    static ValueRule doubleIn(double min, double max) {
        return value -> {
            double parsed;
            try {
                parsed = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                return "Not a number of type DOUBLE";
            }
            if (parsed < min) {
                return "Value must be at least " + min;
            }
            return parsed > max ? "Value must be no more than " + max : null;
        };
    }

    static ValueRule bool() {
        return value -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? null
                : "Expected value to be either true or false";
    }

    /** One of {@code allowed}, case-sensitive. */
    static ValueRule oneOf(String... allowed) {
        List<String> values = Arrays.asList(allowed);
        return value -> values.contains(value) ? null : "String must be one of: " + String.join(", ", values);
    }

    /** A comma-separated list whose every (trimmed) element is one of {@code allowed}; at least one element. */
    static ValueRule listOf(String... allowed) {
        List<String> values = Arrays.asList(allowed);
        return value -> {
            List<String> items = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            if (items.isEmpty() || !values.containsAll(items)) {
                return "String must be one of: " + String.join(", ", values);
            }
            return null;
        };
    }

    /** Anything (replica throttling lists, which Stratus has no use for). */
    static ValueRule any() {
        return value -> null;
    }

    private static String range(long value, long min, long max) {
        if (value < min) {
            return "Value must be at least " + min;
        }
        return value > max ? "Value must be no more than " + max : null;
    }
}
