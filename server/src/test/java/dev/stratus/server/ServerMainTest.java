package dev.stratus.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerMainTest {

    @TempDir
    Path dataDir;

    @Test
    void anInvalidValueStopsStartupWithExitCodeTwoBeforeTouchingTheDataDirectory() {
        int exitCode = new CommandLine(new ServerMain()).execute(
                "--override", "log.dirs=" + dataDir.resolve("node"), "--override", "num.partitions=many");

        assertThat(exitCode).isEqualTo(2);
        assertThat(dataDir.resolve("node")).doesNotExist();
    }

    @Test
    void aMissingConfigurationFileStopsStartupWithExitCodeTwo() {
        int exitCode = new CommandLine(new ServerMain()).execute(dataDir.resolve("absent.properties").toString());

        assertThat(exitCode).isEqualTo(2);
    }

    @Test
    void aDataDirectoryOfAnotherNodeIsRefused() throws Exception {
        Path node = dataDir.resolve("node");
        ClusterIdentity.loadOrCreate(node, null, 1);

        int exitCode = new CommandLine(new ServerMain()).execute(
                "--override", "log.dirs=" + node, "--override", "node.id=2", "--override", "listeners=PLAINTEXT://127.0.0.1:0");

        assertThat(exitCode).isEqualTo(2);
    }

    @Test
    void storageSettingsThatDoNotFitTheHeapStopStartupWithExitCodeTwo() {
        long tooLarge = Runtime.getRuntime().maxMemory();

        int exitCode = new CommandLine(new ServerMain()).execute(
                "--override", "log.dirs=" + dataDir.resolve("node"), "--override", "listeners=PLAINTEXT://127.0.0.1:0",
                "--override", "log.cache.bytes=" + tooLarge);

        assertThat(exitCode).isEqualTo(2);
    }
}
