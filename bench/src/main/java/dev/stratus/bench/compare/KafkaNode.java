package dev.stratus.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * Apache Kafka as one KRaft node, broker and controller in one process, on 127.0.0.1: writes its
 * server.properties, formats the storage directory with a new cluster id (Kafka's StorageTool, as
 * kafka-storage.sh does), then runs {@code kafka.Kafka} with the jars from Maven Central.
 * Everything else is Kafka's default, but for the replication factors of internal topics (one node)
 * and, for {@link SystemUnderTest#KAFKA_FSYNC}, {@code log.flush.interval.messages=1}.
 *
 * <p>Used by the harness's main thread.
 */
final class KafkaNode extends RunningServer {

    private KafkaNode(SystemUnderTest system, ServerProcess process, int port) {
        super(system, process, port);
    }

    static KafkaNode start(SystemUnderTest system, BenchLayout layout, Path dir, ProcessReaper reaper)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = SystemNode.freePort();
        int controllerPort = SystemNode.freePort();
        List<String> properties = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0"));
        if (system == SystemUnderTest.KAFKA_FSYNC) {
            properties.add("log.flush.interval.messages=1");
        }
        Path config = Files.write(dir.resolve("server.properties"), properties);
        Path logConfig = Files.write(dir.resolve("log4j2.properties"), List.of(
                "rootLogger.level=WARN",
                "rootLogger.appenderRef.stdout.ref=STDOUT",
                "appender.stdout.type=Console",
                "appender.stdout.name=STDOUT",
                "appender.stdout.layout.type=PatternLayout",
                "appender.stdout.layout.pattern=[%d] %p %m (%c)%n"));
        String classPath = layout.kafkaLib() + "/*";
        Path log = dir.resolve("server.log");

        ServerProcess.runToCompletion("kafka storage format", List.of(SystemNode.javaBinary(),
                "-Dlog4j2.configurationFile=" + logConfig, "-cp", classPath, "kafka.tools.StorageTool",
                "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()), dir, log, Duration.ofSeconds(60));

        List<String> command = new ArrayList<>();
        command.add(SystemNode.javaBinary());
        command.addAll(SystemNode.serverJvmOptions());
        command.addAll(List.of("-Dlog4j2.configurationFile=" + logConfig, "-cp", classPath, "kafka.Kafka", config.toString()));
        return new KafkaNode(system, ServerProcess.start(system.key(), command, dir, log, reaper), port);
    }

    @Override
    public Optional<StorageUsageLine> stop() throws InterruptedException {
        if (!process().stop(Duration.ofSeconds(60))) {
            throw new IllegalStateException("Kafka did not stop within 60 s of SIGTERM; see " + process().logFile());
        }
        return Optional.empty();
    }
}
