package dev.stratus.bench.compare;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the comparison finds what it runs and puts what it writes, all under the repository root:
 * the Kafka jars ({@code bench/target/kafka/lib}, copied by bench/run-vs-kafka.sh), the Stratus
 * server ({@code server/target}), data directories and logs ({@code bench/target/compare}), and the
 * results ({@code docs/benchmarks.md} and {@code docs/img}). Immutable.
 */
record BenchLayout(Path root) {

    Path kafkaLib() {
        return root.resolve("bench/target/kafka/lib");
    }

    Path stratusJar() {
        return root.resolve("server/target/stratus-server.jar");
    }

    Path stratusLib() {
        return root.resolve("server/target/lib");
    }

    Path stratusConfig() {
        return root.resolve("config/server.properties");
    }

    /** Data directories and server logs of one run. */
    Path workDir() {
        return root.resolve("bench/target/compare");
    }

    Path benchmarksDoc() {
        return root.resolve("docs/benchmarks.md");
    }

    Path imageDir() {
        return root.resolve("docs/img");
    }

    /** Fails early, with the command that fixes it, when something the run needs was not built. */
    void check() {
        require(kafkaLib(), "run bench/run-vs-kafka.sh, which copies the Kafka jars from Maven Central");
        require(stratusJar(), "build the server: ./mvnw -q -B -DskipTests -pl bench,server -am package");
        require(stratusLib(), "build the server: ./mvnw -q -B -DskipTests -pl bench,server -am package");
    }

    private static void require(Path path, String fix) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " is missing: " + fix);
        }
    }
}
