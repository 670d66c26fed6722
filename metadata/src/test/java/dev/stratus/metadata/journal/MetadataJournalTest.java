package dev.stratus.metadata.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.record.BrokerDrainRecord;
import dev.stratus.metadata.record.BrokerRecord;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.metadata.record.NextObjectIdRecord;
import dev.stratus.metadata.record.ObjectRecord;
import dev.stratus.metadata.record.PartitionRecord;
import dev.stratus.metadata.record.ProducerIdsRecord;
import dev.stratus.metadata.record.RemoveStreamRecord;
import dev.stratus.metadata.record.RemoveTopicRecord;
import dev.stratus.metadata.record.StreamRecord;
import dev.stratus.metadata.record.TopicRecord;
import dev.stratus.storage.metadata.StreamMetadata.StreamState;
import dev.stratus.storage.metadata.StreamOffsetRange;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataJournalTest {

    @TempDir
    Path dir;

    private static final UUID TOPIC = UUID.randomUUID();

    private static List<MetadataRecord> everyKindOfRecord() {
        return List.of(
                new TopicRecord("orders", TOPIC, Map.of("retention.ms", "60000")),
                new PartitionRecord(TOPIC, 0, 7, 1, 3, 8, -1),
                new PartitionRecord(TOPIC, 1, 9, 1, 0, -1, 4),
                new StreamRecord(7, 3, 0, 100, StreamState.OPENED),
                new ObjectRecord(12, 4096, List.of(new StreamOffsetRange(7, 0, 100)), 1234),
                new NextObjectIdRecord(13),
                new BrokerRecord(1, 2),
                new BrokerDrainRecord(1, 2),
                new ProducerIdsRecord(5000),
                new RemoveStreamRecord(7),
                new RemoveTopicRecord(TOPIC));
    }

    @Test
    void aPartitionRecordWrittenBeforeCheckpointsExistedReadsAsOneWithoutACheckpointStream() throws Exception {
        // Version 0: type, version, topic id, partition, stream, leader, leader epoch.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(3);
        out.writeByte(0);
        out.writeLong(TOPIC.getMostSignificantBits());
        out.writeLong(TOPIC.getLeastSignificantBits());
        out.writeInt(2);
        out.writeLong(11);
        out.writeInt(1);
        out.writeInt(4);

        assertThat(MetadataRecordCodec.decode(bytes.toByteArray()))
                .isEqualTo(new PartitionRecord(TOPIC, 2, 11, 1, 4, PartitionMetadata.NO_CHECKPOINT_STREAM,
                        PartitionMetadata.NOT_MOVING));
    }

    @Test
    void replaysEveryRecordKindInOrder() throws Exception {
        Path path = dir.resolve("journal");
        try (MetadataJournal journal = MetadataJournal.open(path).journal()) {
            journal.append(everyKindOfRecord().subList(0, 3));
            journal.append(everyKindOfRecord().subList(3, everyKindOfRecord().size()));
        }
        assertThat(MetadataJournal.open(path).records()).containsExactlyElementsOf(everyKindOfRecord());
    }

    @Test
    void aTornLastBatchIsDroppedWholeAndTruncated() throws Exception {
        Path path = dir.resolve("journal");
        try (MetadataJournal journal = MetadataJournal.open(path).journal()) {
            journal.append(everyKindOfRecord().subList(0, 3));
            journal.append(everyKindOfRecord().subList(3, everyKindOfRecord().size()));
        }
        long intactSize;
        try (MetadataJournal journal = MetadataJournal.open(path).journal()) {
            intactSize = Files.size(path);
        }
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(intactSize - 5);
        }
        MetadataJournal.Replay replay = MetadataJournal.open(path);
        replay.journal().close();

        assertThat(replay.records()).containsExactlyElementsOf(everyKindOfRecord().subList(0, 3));
        assertThat(Files.size(path)).isLessThan(intactSize - 5);
    }

    @Test
    void aCorruptBatchStopsReplayAndLaterAppendsReplayAfterTheIntactPrefix() throws Exception {
        Path path = dir.resolve("journal");
        long firstBatchEnd;
        try (MetadataJournal journal = MetadataJournal.open(path).journal()) {
            journal.append(everyKindOfRecord().subList(0, 3));
            firstBatchEnd = Files.size(path);
            journal.append(everyKindOfRecord().subList(3, everyKindOfRecord().size()));
        }
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.seek(firstBatchEnd + 20);
            int b = file.read();
            file.seek(firstBatchEnd + 20);
            file.write(b ^ 0xFF);
        }
        try (MetadataJournal journal = MetadataJournal.open(path).journal()) {
            journal.append(List.of(new BrokerRecord(9, 1)));
        }
        assertThat(MetadataJournal.open(path).records())
                .containsExactly(everyKindOfRecord().get(0), everyKindOfRecord().get(1), everyKindOfRecord().get(2),
                        new BrokerRecord(9, 1));
    }
}
