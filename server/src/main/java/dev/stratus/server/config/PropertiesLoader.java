package dev.stratus.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Reads a Kafka-style properties file and applies {@code key=value} overrides on top. */
public final class PropertiesLoader {

    private PropertiesLoader() {
    }

    public static Map<String, String> load(Path file, List<String> overrides) {
        Map<String, String> result = new LinkedHashMap<>();
        if (file != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new ConfigException("Cannot read configuration file " + file + ": " + e.getMessage());
            }
            properties.stringPropertyNames().forEach(name -> result.put(name, properties.getProperty(name)));
        }
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("Invalid --override '" + override + "': expected key=value.");
            }
            result.put(override.substring(0, eq).trim(), override.substring(eq + 1));
        }
        return result;
    }
}
