package dev.stratus.it.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.it.support.KafkaClientVersions;
import dev.stratus.it.support.StratusProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java clients of the current and the previous major version work against a Stratus server
 * process: the same probe program runs once with kafka-clients 4.x and once with 3.9 on its
 * class path.
 */
class ClientVersionsTest {

    @TempDir
    static Path dataDir;

    private static StratusProcess stratus;

    @BeforeAll
    static void startServer() throws Exception {
        stratus = new StratusProcess(dataDir.resolve("node"), Map.of()).start();
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (stratus != null) {
            stratus.close();
        }
    }

    @Test
    void kafkaClients4ProduceConsumeAndAdminWork() throws Exception {
        String output = runProbe(KafkaClientVersions.classPath("4"), "probe-4x");
        assertThat(output).contains("PROBE OK 4.");
    }

    @Test
    void kafkaClients39ProduceConsumeAndAdminWork() throws Exception {
        String output = runProbe(KafkaClientVersions.classPath("3.9"), "probe-39");
        assertThat(output).contains("PROBE OK 3.9.");
    }

    private static String runProbe(String classPath, String topic) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile(topic, ".log");
        Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", classPath, ClientProbe.class.getName(),
                stratus.bootstrapServers(), topic))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(2, TimeUnit.MINUTES);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        if (!finished) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(finished).as("probe finished:%n%s", output).isTrue();
        assertThat(process.exitValue()).as("probe output:%n%s", output).isZero();
        return output;
    }
}
