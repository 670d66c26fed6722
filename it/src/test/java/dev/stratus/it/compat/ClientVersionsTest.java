package dev.stratus.it.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.it.support.InProcessStratus;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java clients of the current and the previous major version work against Stratus: the
 * same probe program runs once with kafka-clients 4.x and once with 3.9 on its class path.
 */
class ClientVersionsTest {

    @TempDir
    static Path dataDir;

    private static InProcessStratus stratus;

    @BeforeAll
    static void startServer() throws Exception {
        stratus = InProcessStratus.start(dataDir, Map.of());
    }

    @AfterAll
    static void stopServer() {
        if (stratus != null) {
            stratus.close();
        }
    }

    @Test
    void kafkaClients4ProduceConsumeAndAdminWork() throws Exception {
        String output = runProbe(testClassPath(), "probe-4x");
        assertThat(output).contains("PROBE OK 4.");
    }

    @Test
    void kafkaClients39ProduceConsumeAndAdminWork() throws Exception {
        Path jar;
        try (Stream<Path> jars = Files.list(Path.of("target", "kafka-clients-3.9"))) {
            jar = jars.filter(p -> p.getFileName().toString().startsWith("kafka-clients-3.9")).findFirst().orElseThrow();
        }
        // The 3.9 jar replaces the 4.x one; compression codecs and SLF4J stay.
        String classPath = Arrays.stream(testClassPath().split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("kafka-clients-"))
                .collect(Collectors.joining(File.pathSeparator, jar.toAbsolutePath() + File.pathSeparator, ""));
        String output = runProbe(classPath, "probe-39");
        assertThat(output).contains("PROBE OK 3.9.");
    }

    private static String testClassPath() {
        return System.getProperty("java.class.path");
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
