package dev.stratus.server.config;

/**
 * One configuration key: its name (Kafka's where the meaning is the same), how it parses, its
 * default as written in a properties file (null when derived from other keys), and its doc.
 */
public record ConfigKey<T>(String name, ConfigType<T> type, String defaultValue, String doc) {

    public String accepted() {
        return type.accepted();
    }
}
