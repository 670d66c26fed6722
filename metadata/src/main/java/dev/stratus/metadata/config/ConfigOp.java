package dev.stratus.metadata.config;

import dev.stratus.metadata.MetadataErrorCode;
import dev.stratus.metadata.MetadataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One change to a resource's config overrides, as IncrementalAlterConfigs names them: SET a
 * value, DELETE the override (back to the default), APPEND to or SUBTRACT from a list value.
 * A legacy AlterConfigs is a list of SETs applied to an empty map.
 */
public record ConfigOp(Type type, String name, String value) {

    /** The operation; {@link #id()} is IncrementalAlterConfigs' {@code configOperation}. */
    public enum Type {
        SET(0), DELETE(1), APPEND(2), SUBTRACT(3);

        private final byte id;

        Type(int id) {
            this.id = (byte) id;
        }

        public byte id() {
            return id;
        }

        /** The type with wire id {@code id}, or null. */
        public static Type fromId(byte id) {
            for (Type type : values()) {
                if (type.id == id) {
                    return type;
                }
            }
            return null;
        }
    }

    public ConfigOp {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    public static ConfigOp set(String name, String value) {
        return new ConfigOp(Type.SET, name, value);
    }

    public static ConfigOp delete(String name) {
        return new ConfigOp(Type.DELETE, name, null);
    }

    /**
     * Applies {@code ops} in order to {@code current} (topic overrides) and returns the result,
     * unvalidated. APPEND and SUBTRACT need a list-typed key; they start from the override, or
     * the key's default when there is none. Throws INVALID_CONFIG for an unknown name or an
     * operation the key's type does not allow.
     */
    public static Map<String, String> applyAll(Map<String, String> current, List<ConfigOp> ops) {
        Map<String, String> result = new LinkedHashMap<>(current);
        for (ConfigOp op : ops) {
            TopicConfigKey key = TopicConfigs.key(op.name());
            if (key == null) {
                throw invalid("Unknown topic config name: " + op.name());
            }
            switch (op.type()) {
                case SET -> result.put(op.name(), op.value());
                case DELETE -> result.remove(op.name());
                case APPEND, SUBTRACT -> {
                    if (key.type() != ConfigType.LIST) {
                        throw invalid("Config value " + op.type().name().toLowerCase() + " is not allowed for config key: "
                                + op.name());
                    }
                    List<String> items = new ArrayList<>(split(result.getOrDefault(op.name(), key.defaultValue())));
                    for (String item : split(op.value() == null ? "" : op.value())) {
                        if (op.type() == Type.APPEND && !items.contains(item)) {
                            items.add(item);
                        } else if (op.type() == Type.SUBTRACT) {
                            items.remove(item);
                        }
                    }
                    result.put(op.name(), String.join(",", items));
                }
                default -> throw new IllegalStateException("unknown operation " + op.type());
            }
        }
        return result;
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static MetadataException invalid(String message) {
        return new MetadataException(MetadataErrorCode.INVALID_CONFIG, message);
    }
}
