package dev.stratus.server.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed {@code listeners} / {@code advertised.listeners} entry such as
 * {@code PLAINTEXT://127.0.0.1:9092}. Only the PLAINTEXT security protocol exists so far: the
 * Kafka listener is named PLAINTEXT, and a controller's listener carries the name in
 * {@code controller.listener.names} (CONTROLLER), also in plain text.
 */
public record Listener(String name, String host, int port) {

    /** Every listener of a comma-separated list, names unique. */
    static List<Listener> parseAll(String key, String raw, Set<String> controllerNames) {
        List<Listener> listeners = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : raw.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            Listener listener = parse(key, entry, controllerNames);
            if (!names.add(listener.name())) {
                throw new ConfigException("Invalid value '" + raw + "' for configuration " + key + ": listener name "
                        + listener.name() + " appears twice.");
            }
            listeners.add(listener);
        }
        return List.copyOf(listeners);
    }

    static Listener parse(String key, String raw) {
        return parse(key, raw, Set.of());
    }

    static Listener parse(String key, String raw, Set<String> controllerNames) {
        String value = raw.trim();
        if (value.contains(",")) {
            throw new ConfigException("Invalid value '" + raw + "' for configuration " + key
                    + ": expected one listener, e.g. PLAINTEXT://127.0.0.1:9092.");
        }
        int scheme = value.indexOf("://");
        if (scheme <= 0) {
            throw new ConfigException("Invalid value '" + raw + "' for configuration " + key
                    + ": expected NAME://host:port, e.g. PLAINTEXT://127.0.0.1:9092.");
        }
        String name = value.substring(0, scheme).toUpperCase(Locale.ROOT);
        if (!name.equals("PLAINTEXT") && !controllerNames.contains(name)) {
            throw new ConfigException("Invalid value '" + raw + "' for configuration " + key
                    + ": only the PLAINTEXT listener is supported so far (TLS and SASL come later).");
        }
        String hostPort = value.substring(scheme + 3);
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigException("Invalid value '" + raw + "' for configuration " + key
                    + ": missing port, expected NAME://host:port.");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException("Invalid value '" + raw + "' for configuration " + key
                    + ": the port must be an integer in [0, 65535].");
        }
        return new Listener(name, host, port);
    }
}
