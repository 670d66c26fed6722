package dev.stratus.server.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a configuration value is parsed and what it accepts; the description is used in error
 * messages and the configuration reference.
 */
interface ConfigType<T> {

    T parse(String key, String raw);

    String accepted();

    static ConfigType<String> string() {
        return new ConfigType<>() {
            public String parse(String key, String raw) {
                return raw.trim();
            }

            public String accepted() {
                return "any string";
            }
        };
    }

    static ConfigType<Integer> intRange(int min, int max) {
        return new ConfigType<>() {
            public Integer parse(String key, String raw) {
                long value = parseLong(key, raw, accepted());
                if (value < min || value > max) {
                    throw invalid(key, raw, accepted());
                }
                return (int) value;
            }

            public String accepted() {
                return "an integer in [" + min + ", " + max + "]";
            }
        };
    }

    static ConfigType<Long> longRange(long min, long max) {
        return new ConfigType<>() {
            public Long parse(String key, String raw) {
                long value = parseLong(key, raw, accepted());
                if (value < min || value > max) {
                    throw invalid(key, raw, accepted());
                }
                return value;
            }

            public String accepted() {
                return "an integer in [" + min + ", " + max + "]";
            }
        };
    }

    static ConfigType<Boolean> bool() {
        return new ConfigType<>() {
            public Boolean parse(String key, String raw) {
                String value = raw.trim().toLowerCase(Locale.ROOT);
                if (value.equals("true")) {
                    return true;
                }
                if (value.equals("false")) {
                    return false;
                }
                throw invalid(key, raw, accepted());
            }

            public String accepted() {
                return "true or false";
            }
        };
    }

    static ConfigType<String> oneOf(String... values) {
        List<String> allowed = Arrays.asList(values);
        return new ConfigType<>() {
            public String parse(String key, String raw) {
                String value = raw.trim();
                if (!allowed.contains(value)) {
                    throw invalid(key, raw, accepted());
                }
                return value;
            }

            public String accepted() {
                return allowed.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", ", "one of ", ""));
            }
        };
    }

    private static long parseLong(String key, String raw, String accepted) {
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw invalid(key, raw, accepted);
        }
    }

    private static ConfigException invalid(String key, String raw, String accepted) {
        return new ConfigException("Invalid value '" + raw + "' for configuration " + key + ": expected " + accepted + ".");
    }
}
