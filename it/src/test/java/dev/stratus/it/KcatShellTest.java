package dev.stratus.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** librdkafka (through kcat) produces to and consumes from a server started by bin/stratus-server.sh. */
class KcatShellTest {

    @TempDir
    Path tempDir;

    @Test
    void kcatProducesAndConsumesThroughTheStartScript() throws Exception {
        Path script = Path.of("src/test/sh/kcat-roundtrip.sh").toAbsolutePath();
        Process process = new ProcessBuilder("bash", script.toString(), String.valueOf(freePort()),
                tempDir.resolve("node").toString())
                .redirectErrorStream(true)
                .start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            process.destroyForcibly();
        }
        assertThat(finished).as("script finished; output:%n%s", output).isTrue();
        assertThat(process.exitValue()).as("script output:%n%s", output).isZero();
        assertThat(output).contains("kcat round trip OK");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
