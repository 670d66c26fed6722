package dev.stratus.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of Kafka's own command-line tools (the classes behind {@code kafka-topics.sh},
 * {@code kafka-console-producer.sh}, {@code kafka-configs.sh}, ...) in a JVM of its own, exactly as the scripts do, with
 * the test class path: the tools call {@code System.exit}, and users run them as processes.
 */
public final class KafkaCli {

    public static final String TOPICS = "org.apache.kafka.tools.TopicCommand";
    public static final String CONSOLE_PRODUCER = "org.apache.kafka.tools.ConsoleProducer";
    public static final String CONSOLE_CONSUMER = "org.apache.kafka.tools.consumer.ConsoleConsumer";
    public static final String GET_OFFSETS = "org.apache.kafka.tools.GetOffsetShell";
    public static final String CONSUMER_GROUPS = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";
    public static final String DELETE_RECORDS = "org.apache.kafka.tools.DeleteRecordsCommand";
    public static final String METADATA_QUORUM = "org.apache.kafka.tools.MetadataQuorumCommand";
    public static final String CLUSTER = "org.apache.kafka.tools.ClusterTool";
    public static final String BROKER_API_VERSIONS = "org.apache.kafka.tools.BrokerApiVersionsCommand";
    public static final String REASSIGN_PARTITIONS = "org.apache.kafka.tools.reassign.ReassignPartitionsCommand";
    /** {@code kafka-configs.sh}: still in Kafka's core jar ({@code kafka_2.13}), not in kafka-tools. */
    public static final String CONFIGS = "kafka.admin.ConfigCommand";

    /** What a tool printed and how it exited. */
    public record Result(int exitCode, String output) {
    }

    private KafkaCli() {
    }

    public static Result run(String tool, List<String> args) throws IOException, InterruptedException {
        return run(tool, args, null, Duration.ofSeconds(60));
    }

    /** Runs {@code tool} with {@code args}, feeding {@code stdin} (or nothing), and waits for it to exit. */
    public static Result run(String tool, List<String> args, String stdin, Duration timeout)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), tool));
        command.addAll(args);
        Path output = Files.createTempFile("kafka-cli", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            Process process = builder.start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(tool + " " + args + " did not finish within " + timeout + ":\n"
                        + Files.readString(output));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
