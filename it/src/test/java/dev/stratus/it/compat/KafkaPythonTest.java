package dev.stratus.it.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.it.support.InProcessStratus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kafka-python (Debian's python3-kafka) produces, consumes and administers topics on Stratus. */
class KafkaPythonTest {

    @TempDir
    Path dataDir;

    @Test
    void kafkaPythonProducesConsumesAndAdministersTopics() throws Exception {
        try (InProcessStratus stratus = InProcessStratus.start(dataDir, Map.of())) {
            Process process = new ProcessBuilder("bash", Path.of("src/test/sh/kafka-python.sh").toAbsolutePath().toString(),
                    Path.of("src/test/python/kafka_python_probe.py").toAbsolutePath().toString(),
                    stratus.bootstrapServers(), "kafka-python")
                    .redirectErrorStream(true).start();
            boolean finished = process.waitFor(2, TimeUnit.MINUTES);
            if (!finished) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(finished).as("probe finished:%n%s", output).isTrue();
            assertThat(process.exitValue()).as("probe output:%n%s", output).isZero();
            assertThat(output).contains("PROBE OK");
        }
    }
}
