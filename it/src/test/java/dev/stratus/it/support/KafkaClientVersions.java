package dev.stratus.it.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Class paths for running a client program with a chosen major version of kafka-clients: the
 * test class path as it is (4.x), or with the 3.9 jar that the build copies to
 * {@code target/kafka-clients-3.9} in place of the 4.x one (compression codecs and SLF4J stay).
 */
public final class KafkaClientVersions {

    private KafkaClientVersions() {
    }

    /** {@code "4"} or {@code "3.9"}. */
    public static String classPath(String version) throws IOException {
        String testClassPath = System.getProperty("java.class.path");
        if (version.equals("4")) {
            return testClassPath;
        }
        Path jar;
        try (Stream<Path> jars = Files.list(Path.of("target", "kafka-clients-" + version))) {
            jar = jars.filter(p -> p.getFileName().toString().startsWith("kafka-clients-" + version)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no kafka-clients " + version + " jar under target/"));
        }
        return Arrays.stream(testClassPath.split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("kafka-clients-"))
                .collect(Collectors.joining(File.pathSeparator, jar.toAbsolutePath() + File.pathSeparator, ""));
    }
}
