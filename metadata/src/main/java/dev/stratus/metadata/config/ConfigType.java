package dev.stratus.metadata.config;

/**
 * The type of a config value, numbered as DescribeConfigs reports it ({@code configType},
 * KIP-569): the ids are part of the wire protocol.
 */
public enum ConfigType {
    UNKNOWN(0), BOOLEAN(1), STRING(2), INT(3), SHORT(4), LONG(5), DOUBLE(6), LIST(7), CLASS(8), PASSWORD(9);

    private final byte id;

    ConfigType(int id) {
        this.id = (byte) id;
    }

    public byte id() {
        return id;
    }
}
