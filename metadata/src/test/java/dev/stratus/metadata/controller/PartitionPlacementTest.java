package dev.stratus.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.metadata.image.MetadataDelta;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.record.BrokerFencingRecord;
import dev.stratus.metadata.record.BrokerRecord;
import dev.stratus.metadata.record.MetadataRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PartitionPlacementTest {

    private static MetadataImage brokers(MetadataRecord... records) {
        return new MetadataDelta(MetadataImage.EMPTY).replayAll(List.of(records)).apply(0);
    }

    private static BrokerRecord broker(int id, String rack) {
        return new BrokerRecord(id, 0, new UUID(0, id), "127.0.0.1", 9000 + id, rack);
    }

    private static Map<Integer, Long> counts(List<Integer> leaders) {
        return leaders.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    void newPartitionsSpreadEvenlyOverTheUnfencedBrokers() {
        MetadataImage image = brokers(broker(1, null), broker(2, null), broker(3, null), broker(4, null),
                new BrokerFencingRecord(4, 0, true));

        List<Integer> leaders = PartitionPlacement.leaders(image, 9);

        assertThat(counts(leaders)).containsOnlyKeys(1, 2, 3).allSatisfy((id, n) -> assertThat(n).isEqualTo(3));
    }

    @Test
    void partitionsSpreadOverRacksFirstThenOverTheBrokersOfEachRack() {
        // Rack a has three brokers, rack b one: half the partitions go to b.
        MetadataImage image = brokers(broker(1, "a"), broker(2, "a"), broker(3, "a"), broker(4, "b"));

        List<Integer> leaders = PartitionPlacement.leaders(image, 6);

        Map<Integer, Long> counts = counts(leaders);
        assertThat(counts.get(4)).isEqualTo(3);
        assertThat(counts.get(1) + counts.get(2) + counts.get(3)).isEqualTo(3);
        assertThat(counts).containsKeys(1, 2, 3);
    }

    @Test
    void partitionsAlreadyLedCountSoANewBrokerGetsTheNextOnes() {
        TopicControlManager topics = new TopicControlManager(() -> new UUID(7, 7));
        MetadataImage image = brokers(broker(1, null), broker(2, null));
        ControllerResult<?> first = topics.createTopic(image, "t", 4, Map.of());
        List<MetadataRecord> records = new ArrayList<>(first.records());
        records.add(broker(3, null));
        MetadataImage withThird = new MetadataDelta(image).replayAll(records).apply(1);

        assertThat(PartitionPlacement.leaders(withThird, 2)).containsExactly(3, 3);
    }

    @Test
    void withNoBrokerPartitionsWaitForOne() {
        assertThat(PartitionPlacement.leaders(MetadataImage.EMPTY, 2)).containsExactly(-1, -1);
    }
}
