package dev.stratus.server.config;

import java.util.Locale;

/**
 * A parsed {@code listeners} / {@code advertised.listeners} entry such as
 * {@code PLAINTEXT://127.0.0.1:9092}. Only the PLAINTEXT security protocol exists so far.
 */
public record Listener(String name, String host, int port) {

    static Listener parse(String key, String raw) {
        String value = raw.trim();
        if (value.contains(",")) {
            throw new ConfigException("Invalid value '" + raw + "' for configuration " + key
                    + ": only one listener is supported so far, e.g. PLAINTEXT://127.0.0.1:9092.");
        }
        int scheme = value.indexOf("://");
        if (scheme <= 0) {
            throw new ConfigException("Invalid value '" + raw + "' for configuration " + key
                    + ": expected NAME://host:port, e.g. PLAINTEXT://127.0.0.1:9092.");
        }
        String name = value.substring(0, scheme).toUpperCase(Locale.ROOT);
        if (!name.equals("PLAINTEXT")) {
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
