package dev.stratus.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ServerConfigTest {

    @Test
    void defaultsDescribeASingleNodeOnLocalhostWithDataUnderDotData() {
        ServerConfig config = ServerConfig.parse(Map.of());

        assertThat(config.listener()).isEqualTo(new Listener("PLAINTEXT", "127.0.0.1", 9092));
        assertThat(config.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(config.walPath().startsWith(config.dataDir())).isTrue();
        assertThat(config.objectStoragePath().startsWith(config.dataDir())).isTrue();
        assertThat(config.get(ServerConfig.WAL_TYPE)).isEqualTo("file");
        assertThat(config.get(ServerConfig.OBJECT_STORAGE_TYPE)).isEqualTo("fs");
        assertThat(config.get(ServerConfig.NUM_PARTITIONS)).isEqualTo(1);
        assertThat(config.get(ServerConfig.AUTO_CREATE_TOPICS)).isTrue();
    }

    @Test
    void anInvalidValueNamesTheKeyAndWhatItAccepts() {
        assertThatThrownBy(() -> ServerConfig.parse(Map.of("num.partitions", "many")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("num.partitions")
                .hasMessageContaining("'many'")
                .hasMessageContaining("an integer in [1, 10000]");
        assertThatThrownBy(() -> ServerConfig.parse(Map.of("wal.type", "tape")))
                .hasMessageContaining("wal.type")
                .hasMessageContaining("one of 'file'");
        assertThatThrownBy(() -> ServerConfig.parse(Map.of("auto.create.topics.enable", "yes")))
                .hasMessageContaining("true or false");
    }

    @Test
    void listenersMustBePlaintextHostAndPort() {
        assertThatThrownBy(() -> ServerConfig.parse(Map.of("listeners", "SSL://127.0.0.1:9093")))
                .hasMessageContaining("listeners").hasMessageContaining("PLAINTEXT");
        assertThatThrownBy(() -> ServerConfig.parse(Map.of("listeners", "127.0.0.1:9092")))
                .hasMessageContaining("NAME://host:port");
        assertThatThrownBy(() -> ServerConfig.parse(Map.of("listeners", "PLAINTEXT://127.0.0.1:99999")))
                .hasMessageContaining("[0, 65535]");
    }

    @Test
    void unknownAndReplicationKeysAreAcceptedWithoutEffect() {
        ServerConfig config = ServerConfig.parse(Map.of("default.replication.factor", "3", "no.such.key", "1"));

        assertThat(config.originals()).containsKeys("default.replication.factor", "no.such.key");
    }

    @Test
    void anUnknownKeyLogsOneWarningNamingIt() {
        List<ILoggingEvent> events = logOf(() -> ServerConfig.parse(Map.of("no.such.key", "1")));

        assertThat(events).filteredOn(e -> e.getLevel() == Level.WARN)
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("no.such.key"));
    }

    @Test
    void aReplicationKeyLogsOneLineSayingWhyItIsIgnoredAndNoWarning() {
        List<ILoggingEvent> events = logOf(() -> ServerConfig.parse(Map.of("default.replication.factor", "3")));

        assertThat(events).filteredOn(e -> e.getLevel() == Level.WARN).isEmpty();
        assertThat(events).filteredOn(e -> e.getFormattedMessage().contains("default.replication.factor"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getLevel()).isEqualTo(Level.INFO);
                    assertThat(e.getFormattedMessage()).contains("Ignoring").contains("no replicas");
                });
    }

    private static List<ILoggingEvent> logOf(Runnable action) {
        Logger logger = (Logger) LoggerFactory.getLogger(ServerConfig.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            action.run();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list;
    }

    @Test
    void overridesWinOverTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "num.partitions=3\nnode.id=4\n");

        Map<String, String> properties = PropertiesLoader.load(file, List.of("num.partitions=8"));
        ServerConfig config = ServerConfig.parse(properties);

        assertThat(config.get(ServerConfig.NUM_PARTITIONS)).isEqualTo(8);
        assertThat(config.get(ServerConfig.NODE_ID)).isEqualTo(4);
    }

    @Test
    void theConfigurationReferenceDocumentsEveryKeyWithItsDefault() throws Exception {
        String reference = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (ConfigKey<?> key : ServerConfig.keys().values()) {
            assertThat(reference).as("docs/configuration.md documents %s", key.name()).contains("`" + key.name() + "`");
            if (key.defaultValue() != null) {
                assertThat(reference).as("docs/configuration.md gives the default of %s", key.name())
                        .contains("`" + key.defaultValue() + "`");
            }
        }
    }

    @Test
    void theShippedServerPropertiesParse() throws Exception {
        ServerConfig config = ServerConfig.parse(PropertiesLoader.load(Path.of("..", "config", "server.properties"), List.of()));

        assertThat(config.listener().port()).isEqualTo(9092);
    }

    @Test
    void brokerDefaultsOfTopicConfigsAreValidatedLikeTheTopicConfig() {
        assertThat(ServerConfig.parse(Map.of("log.retention.bytes", "1073741824", "log.cleanup.policy", "compact"))
                .originals()).containsKey("log.retention.bytes");
        assertThatThrownBy(() -> ServerConfig.parse(Map.of("log.retention.hours", "a week")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("log.retention.hours")
                .hasMessageContaining("retention.ms");
        assertThatThrownBy(() -> ServerConfig.parse(Map.of("log.message.timestamp.type", "WallClock")))
                .hasMessageContaining("log.message.timestamp.type");
    }
}
