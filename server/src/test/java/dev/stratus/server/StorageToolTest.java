package dev.stratus.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stratus.server.config.ConfigException;
import dev.stratus.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** stratus-storage random-uuid and format, and a cluster node refusing an unformatted data directory. */
class StorageToolTest {

    @TempDir
    Path dir;

    private Path config(int nodeId) throws Exception {
        Path file = dir.resolve("node-" + nodeId + ".properties");
        Files.writeString(file, "node.id=" + nodeId + "\nprocess.roles=controller\nlisteners=CONTROLLER://127.0.0.1:19093\n"
                + "controller.quorum.voters=" + nodeId + "@127.0.0.1:19093\nlog.dirs=" + dir.resolve("data-" + nodeId) + "\n");
        return file;
    }

    private static int run(String... args) {
        return new CommandLine(new StorageTool()).execute(args);
    }

    @Test
    void randomUuidPrintsAClusterIdInKafkasShape() {
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(run("random-uuid")).isZero();
        } finally {
            System.setOut(before);
        }
        assertThat(out.toString(StandardCharsets.UTF_8).trim()).matches("[A-Za-z0-9_-]{22}");
    }

    @Test
    void formatWritesTheClusterAndNodeIdIntoTheDataDirectory() throws Exception {
        assertThat(run("format", "-t", "MkU3OEVBNTcwNTJENDM2Qk", "-c", config(3).toString())).isZero();

        String meta = Files.readString(dir.resolve("data-3").resolve(ClusterIdentity.FILE_NAME));
        assertThat(meta).contains("cluster.id=MkU3OEVBNTcwNTJENDM2Qk").contains("node.id=3");
    }

    @Test
    void formattingTwiceFailsUnlessToldToIgnoreAndAnotherClusterIdIsRefused() throws Exception {
        Path config = config(1);
        assertThat(run("format", "-t", "first-cluster-id-000000", "-c", config.toString())).isZero();

        assertThat(run("format", "-t", "first-cluster-id-000000", "-c", config.toString())).isEqualTo(1);
        assertThat(run("format", "-t", "first-cluster-id-000000", "-c", config.toString(), "--ignore-formatted")).isZero();
        assertThat(run("format", "-t", "other-cluster-id-000000", "-c", config.toString(), "--ignore-formatted")).isEqualTo(2);
    }

    @Test
    void aClusterNodeWithAnUnformattedDataDirectoryRefusesToStartAndSaysHowToFormat() {
        ServerConfig config = ServerConfig.parse(Map.of("node.id", "1", "process.roles", "controller",
                "listeners", "CONTROLLER://127.0.0.1:19093", "controller.quorum.voters", "1@127.0.0.1:19093",
                "log.dirs", dir.resolve("unformatted").toString()));

        assertThatThrownBy(() -> new StratusServer(config).start()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not formatted").hasMessageContaining("bin/stratus-storage.sh format -t");
        assertThat(dir.resolve("unformatted").resolve(ClusterIdentity.FILE_NAME)).doesNotExist();
    }
}
