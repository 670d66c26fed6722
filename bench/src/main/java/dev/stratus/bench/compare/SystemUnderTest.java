package dev.stratus.bench.compare;

/**
 * The four configurations compared, each run alone on a fresh data directory. Kafka runs twice:
 * as it ships (acknowledges from the page cache, the kernel writes back later) and with
 * {@code log.flush.interval.messages=1} (fsync before acknowledging, as Stratus' file WAL does).
 */
enum SystemUnderTest {
    KAFKA("kafka", "Kafka", "acks=all from the page cache (default: no fsync before the ack)"),
    KAFKA_FSYNC("kafka-fsync", "Kafka fsync", "log.flush.interval.messages=1: fsync of the partition log before the ack"),
    STRATUS_FILE_WAL("stratus-file-wal", "Stratus file WAL",
            "wal.type=file: group commit to a local WAL file, fsync before the ack; objects on s3proxy"),
    STRATUS_OBJECT_WAL("stratus-object-wal", "Stratus object WAL",
            "wal.type=object: WAL objects PUT to s3proxy every 250 ms before the ack; nothing local");

    private final String key;
    private final String label;
    private final String durability;

    SystemUnderTest(String key, String label, String durability) {
        this.key = key;
        this.label = label;
        this.durability = durability;
    }

    /** Name on the command line and in file names. */
    String key() {
        return key;
    }

    /** Name in tables and plots. */
    String label() {
        return label;
    }

    /** When a produce is acknowledged, in words. */
    String durability() {
        return durability;
    }

    boolean isStratus() {
        return this == STRATUS_FILE_WAL || this == STRATUS_OBJECT_WAL;
    }

    static SystemUnderTest ofKey(String key) {
        for (SystemUnderTest system : values()) {
            if (system.key.equals(key)) {
                return system;
            }
        }
        throw new IllegalArgumentException("unknown system '" + key + "'; known: kafka, kafka-fsync, stratus-file-wal, stratus-object-wal");
    }
}
