package dev.stratus.bench.compare;

import dev.stratus.storage.testing.S3ProxyFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stratus as one node (broker and controller) on 127.0.0.1, run from the packaged server
 * ({@code server/target}) with {@code config/server.properties} and overrides: its listener, a
 * fresh data directory, {@code wal.type}, and its objects on s3proxy through the S3 client
 * (endpoint, path-style, static keys), exactly as a user configures an S3-compatible store.
 * At the end it is stopped with SIGTERM, and the storage usage it logs then is read back.
 *
 * <p>Used by the harness's main thread.
 */
final class StratusNode extends RunningServer {

    private StratusNode(SystemUnderTest system, ServerProcess process, int port) {
        super(system, process, port);
    }

    static StratusNode start(SystemUnderTest system, BenchLayout layout, Path dir, S3Server s3, int partitions,
                             List<String> extraOverrides, ProcessReaper reaper) throws IOException {
        Files.createDirectories(dir);
        int port = SystemNode.freePort();
        List<String> command = new ArrayList<>();
        command.add(SystemNode.javaBinary());
        command.addAll(SystemNode.serverJvmOptions());
        command.addAll(List.of("-cp", layout.stratusJar() + ":" + layout.stratusLib() + "/*", "dev.stratus.server.ServerMain",
                layout.stratusConfig().toString()));
        List<String> overrides = new ArrayList<>(List.of(
                "listeners=PLAINTEXT://127.0.0.1:" + port,
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=" + partitions,
                "wal.type=" + (system == SystemUnderTest.STRATUS_OBJECT_WAL ? "object" : "file"),
                "object.storage.type=s3",
                "s3.endpoint=" + s3.endpoint(),
                "s3.bucket=" + S3Server.BUCKET,
                "s3.region=" + S3ProxyFixture.REGION,
                "s3.path.style.access=true",
                "s3.access.key=" + S3ProxyFixture.ACCESS_KEY,
                "s3.secret.key=" + S3ProxyFixture.SECRET_KEY));
        overrides.addAll(extraOverrides);
        for (String override : overrides) {
            command.add("--override");
            command.add(override);
        }
        return new StratusNode(system, ServerProcess.start(system.key(), command, dir, dir.resolve("server.log"), reaper), port);
    }

    /** SIGTERM: the node uploads its WAL, logs its storage usage and exits. */
    @Override
    public Optional<StorageUsageLine> stop() throws IOException, InterruptedException {
        if (!process().stop(Duration.ofSeconds(120))) {
            throw new IllegalStateException("Stratus did not stop within 120 s of SIGTERM; see " + process().logFile());
        }
        Optional<StorageUsageLine> usage = StorageUsageLine.findIn(process().logFile());
        if (usage.isEmpty()) {
            throw new IllegalStateException("Stratus logged no storage usage at shutdown; see " + process().logFile());
        }
        return usage;
    }
}
