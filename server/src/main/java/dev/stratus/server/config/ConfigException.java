package dev.stratus.server.config;

/** A configuration value is invalid; the message names the key and what it accepts. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
