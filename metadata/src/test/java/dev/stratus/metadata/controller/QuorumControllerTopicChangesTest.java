package dev.stratus.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.metadata.MetadataErrorCode;
import dev.stratus.metadata.MetadataException;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.config.ConfigOp;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Topic configs and partition growth: validated, journaled, replayed. */
class QuorumControllerTopicChangesTest {

    @TempDir
    Path dir;

    private JournalController node;
    private QuorumController controller;

    @AfterEach
    void close() {
        if (node != null) {
            node.close();
        }
    }

    private QuorumController open() throws Exception {
        if (node != null) {
            node.close();
        }
        node = JournalController.open(dir.resolve("metadata.log"), Clock.systemUTC());
        controller = node.controller;
        JournalController.register(controller, 1).join();
        return controller;
    }

    private static MetadataErrorCode failure(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            return ((MetadataException) e.getCause()).code();
        }
        throw new AssertionError("expected failure");
    }

    @Test
    void createTopicWithAnUnknownOrBadConfigIsRefusedAndCreatesNothing() throws Exception {
        open();
        assertThat(failure(controller.createTopic("t", 1, Map.of("no.such.config", "1")))).isEqualTo(MetadataErrorCode.INVALID_CONFIG);
        assertThat(failure(controller.createTopic("t", 1, Map.of("retention.ms", "soon")))).isEqualTo(MetadataErrorCode.INVALID_CONFIG);
        assertThat(failure(controller.createTopic("t", 1, Map.of("cleanup.policy", "shred")))).isEqualTo(MetadataErrorCode.INVALID_CONFIG);
        assertThat(controller.image().topic("t")).isNull();
    }

    @Test
    void configsAreAlteredIncrementallyOrReplacedAndSurviveARestart() throws Exception {
        open();
        controller.createTopic("t", 1, Map.of("retention.ms", "1000", "segment.ms", "5000")).join();

        TopicMetadata altered = controller.alterTopicConfigs("t", List.of(ConfigOp.set("retention.bytes", "10"),
                ConfigOp.delete("segment.ms"), new ConfigOp(ConfigOp.Type.APPEND, "cleanup.policy", "compact")), false, false).join();
        assertThat(altered.configs()).containsOnly(Map.entry("retention.ms", "1000"), Map.entry("retention.bytes", "10"),
                Map.entry("cleanup.policy", "delete,compact"));

        open();
        assertThat(controller.image().topic("t").configs()).isEqualTo(altered.configs());
        TopicMetadata replaced = controller.alterTopicConfigs("t", List.of(ConfigOp.set("max.message.bytes", "100")), true, false).join();
        assertThat(replaced.configs()).containsOnly(Map.entry("max.message.bytes", "100"));
    }

    @Test
    void invalidOrValidateOnlyAlterationsLeaveTheConfigsUnchanged() throws Exception {
        open();
        controller.createTopic("t", 1, Map.of("retention.ms", "1000")).join();

        assertThat(failure(controller.alterTopicConfigs("t", List.of(ConfigOp.set("retention.ms", "-7")), false, false)))
                .isEqualTo(MetadataErrorCode.INVALID_CONFIG);
        assertThat(failure(controller.alterTopicConfigs("t", List.of(new ConfigOp(ConfigOp.Type.APPEND, "retention.ms", "1")),
                false, false))).isEqualTo(MetadataErrorCode.INVALID_CONFIG);
        assertThat(failure(controller.alterTopicConfigs("nope", List.of(), false, false))).isEqualTo(MetadataErrorCode.UNKNOWN_TOPIC);
        TopicMetadata wouldBe = controller.alterTopicConfigs("t", List.of(ConfigOp.set("retention.ms", "5")), false, true).join();

        assertThat(wouldBe.configs()).containsEntry("retention.ms", "5");
        assertThat(controller.image().topic("t").configs()).containsOnly(Map.entry("retention.ms", "1000"));
    }

    @Test
    void partitionsGrowWithNewStreamsAndSurviveARestart() throws Exception {
        open();
        TopicMetadata before = controller.createTopic("t", 2, Map.of()).join();

        assertThat(failure(controller.createPartitions("t", 2, false))).isEqualTo(MetadataErrorCode.INVALID_PARTITIONS);
        assertThat(failure(controller.createPartitions("t", 1, false))).isEqualTo(MetadataErrorCode.INVALID_PARTITIONS);
        assertThat(failure(controller.createPartitions("nope", 3, false))).isEqualTo(MetadataErrorCode.UNKNOWN_TOPIC);
        assertThat(controller.createPartitions("t", 5, true).join().partitions()).hasSize(2);
        TopicMetadata grown = controller.createPartitions("t", 5, false).join();

        assertThat(grown.partitions()).hasSize(5).extracting(PartitionMetadata::leaderId).containsOnly(1);
        assertThat(grown.partitions()).extracting(PartitionMetadata::streamId).doesNotHaveDuplicates();
        assertThat(grown.partitions().subList(0, 2)).isEqualTo(before.partitions());
        for (PartitionMetadata p : grown.partitions()) {
            assertThat(controller.describeStream(p.streamId()).join()).isNotNull();
        }
        open();
        assertThat(controller.image().topic("t").partitions()).hasSize(5)
                .extracting(PartitionMetadata::streamId)
                .containsExactlyElementsOf(grown.partitions().stream().map(PartitionMetadata::streamId).toList());
    }
}
