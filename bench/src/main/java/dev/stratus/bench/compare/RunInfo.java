package dev.stratus.bench.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * What identifies a run in its results: when it ran, how long it took, the command, the versions
 * of Stratus (git commit), Kafka and s3proxy, and the machine. Immutable.
 */
record RunInfo(String date, double elapsedSeconds, String command, String stratusCommit, String kafkaVersion,
               String s3proxyVersion, MachineDescription machine) {

    static RunInfo of(BenchLayout layout, double elapsedSeconds, String command) {
        return new RunInfo(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(Instant.now()),
                elapsedSeconds, command, gitCommit(layout.root()), System.getProperty("kafka.version", "?"),
                System.getProperty("s3proxy.version", "?"), MachineDescription.read(layout.workDir()));
    }

    private static String gitCommit(Path root) {
        try {
            Process git = new ProcessBuilder("git", "-C", root.toString(), "describe", "--always", "--dirty")
                    .redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes()).trim();
            return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : "?";
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
