package dev.stratus.broker.partition;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The binary form of a {@link PartitionCheckpoint}, one record of the checkpoint stream.
 * Big-endian, fixed header then three arrays:
 *
 * <pre>
 *   0  int    magic "SPCK"
 *   4  short  version (1)
 *   6  short  reserved (0)
 *   8  int    CRC-32C of every byte from 12 to the end
 *  12  long   end offset
 *  20  long   written at (ms)
 *  28  int    epoch count E
 *  32  int    producer count P
 *  36  int    index entry count I
 *  40         E x epoch    (int epoch, long start offset)                          12 bytes
 *             P x producer (long id, short epoch, long last timestamp, byte B,
 *                           B x (int first seq, int last seq, long base, long last)) 19 + 24 B bytes
 *             I x entry    (long base, long next, long max timestamp, long size)    32 bytes
 * </pre>
 *
 * A checkpoint is kept under {@link #MAX_BYTES}: when its producers would not fit, those heard
 * from least recently are left out (the next leader treats them as unknown, as Kafka treats a
 * producer whose state expired). Stateless.
 */
final class PartitionCheckpointFormat {

    static final int MAGIC = 0x5350434B;
    static final short VERSION = 1;
    static final int MAX_BYTES = 1 << 20;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int CRC_OFFSET = 8;
    static final int END_OFFSET_OFFSET = 12;
    static final int WRITTEN_AT_OFFSET = 20;
    static final int EPOCH_COUNT_OFFSET = 28;
    static final int PRODUCER_COUNT_OFFSET = 32;
    static final int INDEX_COUNT_OFFSET = 36;
    static final int HEADER_BYTES = 40;

    static final int EPOCH_BYTES = 12;
    static final int PRODUCER_BYTES = 19;
    static final int PRODUCER_BATCH_BYTES = 24;
    static final int INDEX_ENTRY_BYTES = 32;

    private PartitionCheckpointFormat() {
    }

    static ByteBuffer encode(PartitionCheckpoint checkpoint) {
        int fixed = HEADER_BYTES + checkpoint.epochs().size() * EPOCH_BYTES + checkpoint.index().size() * INDEX_ENTRY_BYTES;
        List<PartitionCheckpoint.Producer> producers = fitting(checkpoint.producers(), MAX_BYTES - fixed);
        int size = fixed;
        for (PartitionCheckpoint.Producer producer : producers) {
            size += producerBytes(producer);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putInt(0)
                .putLong(checkpoint.endOffset()).putLong(checkpoint.writtenAtMs())
                .putInt(checkpoint.epochs().size()).putInt(producers.size()).putInt(checkpoint.index().size());
        for (LeaderEpochHistory.Entry epoch : checkpoint.epochs()) {
            out.putInt(epoch.epoch()).putLong(epoch.startOffset());
        }
        for (PartitionCheckpoint.Producer producer : producers) {
            out.putLong(producer.producerId()).putShort(producer.epoch()).putLong(producer.lastTimestamp())
                    .put((byte) producer.batches().size());
            for (PartitionCheckpoint.Batch batch : producer.batches()) {
                out.putInt(batch.firstSequence()).putInt(batch.lastSequence()).putLong(batch.baseOffset())
                        .putLong(batch.lastOffset());
            }
        }
        for (PartitionCheckpoint.IndexEntry entry : checkpoint.index()) {
            out.putLong(entry.baseOffset()).putLong(entry.nextOffset()).putLong(entry.maxTimestamp()).putLong(entry.sizeBytes());
        }
        out.putInt(CRC_OFFSET, crc(out.array(), size));
        return out.flip();
    }

    /** Decodes a checkpoint; throws {@link IllegalArgumentException} for anything torn, corrupt or unknown. */
    static PartitionCheckpoint decode(ByteBuffer buffer) {
        ByteBuffer in = buffer.slice();
        if (in.remaining() < HEADER_BYTES || in.getInt(MAGIC_OFFSET) != MAGIC) {
            throw new IllegalArgumentException("not a partition checkpoint (" + in.remaining() + " bytes)");
        }
        if (in.getShort(VERSION_OFFSET) != VERSION) {
            throw new IllegalArgumentException("unknown partition checkpoint version " + in.getShort(VERSION_OFFSET));
        }
        byte[] bytes = new byte[in.remaining()];
        in.duplicate().get(bytes);
        if (crc(bytes, bytes.length) != in.getInt(CRC_OFFSET)) {
            throw new IllegalArgumentException("partition checkpoint fails its CRC");
        }
        try {
            in.position(END_OFFSET_OFFSET);
            long endOffset = in.getLong();
            long writtenAtMs = in.getLong();
            int epochCount = count(in.getInt(), in.remaining(), EPOCH_BYTES);
            int producerCount = count(in.getInt(), in.remaining(), PRODUCER_BYTES);
            int indexCount = count(in.getInt(), in.remaining(), INDEX_ENTRY_BYTES);
            List<LeaderEpochHistory.Entry> epochs = new ArrayList<>(epochCount);
            for (int i = 0; i < epochCount; i++) {
                epochs.add(new LeaderEpochHistory.Entry(in.getInt(), in.getLong()));
            }
            List<PartitionCheckpoint.Producer> producers = new ArrayList<>(producerCount);
            for (int i = 0; i < producerCount; i++) {
                long id = in.getLong();
                short epoch = in.getShort();
                long lastTimestamp = in.getLong();
                int batchCount = in.get();
                if (batchCount < 0 || batchCount > ProducerStateTable.RETAINED_BATCHES) {
                    throw new IllegalArgumentException("producer " + id + " with " + batchCount + " batches");
                }
                List<PartitionCheckpoint.Batch> batches = new ArrayList<>(batchCount);
                for (int b = 0; b < batchCount; b++) {
                    batches.add(new PartitionCheckpoint.Batch(in.getInt(), in.getInt(), in.getLong(), in.getLong()));
                }
                producers.add(new PartitionCheckpoint.Producer(id, epoch, lastTimestamp, batches));
            }
            List<PartitionCheckpoint.IndexEntry> index = new ArrayList<>(indexCount);
            for (int i = 0; i < indexCount; i++) {
                index.add(new PartitionCheckpoint.IndexEntry(in.getLong(), in.getLong(), in.getLong(), in.getLong()));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the last index entry");
            }
            return new PartitionCheckpoint(endOffset, writtenAtMs, epochs, producers, index);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("partition checkpoint ends early", e);
        }
    }

    private static int count(int count, int remaining, int minBytes) {
        if (count < 0 || (long) count * minBytes > remaining) {
            throw new IllegalArgumentException("count " + count + " does not fit " + remaining + " bytes");
        }
        return count;
    }

    /** The producers that fit {@code budget} bytes, the most recently heard from first kept, in their original order. */
    private static List<PartitionCheckpoint.Producer> fitting(List<PartitionCheckpoint.Producer> producers, int budget) {
        long all = 0;
        for (PartitionCheckpoint.Producer producer : producers) {
            all += producerBytes(producer);
        }
        if (all <= budget) {
            return producers;
        }
        List<PartitionCheckpoint.Producer> newestFirst = new ArrayList<>(producers);
        newestFirst.sort(Comparator.comparingLong(PartitionCheckpoint.Producer::lastTimestamp).reversed());
        List<PartitionCheckpoint.Producer> kept = new ArrayList<>();
        long used = 0;
        for (PartitionCheckpoint.Producer producer : newestFirst) {
            if (used + producerBytes(producer) > budget) {
                break;
            }
            used += producerBytes(producer);
            kept.add(producer);
        }
        return kept;
    }

    private static int producerBytes(PartitionCheckpoint.Producer producer) {
        return PRODUCER_BYTES + producer.batches().size() * PRODUCER_BATCH_BYTES;
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, END_OFFSET_OFFSET, length - END_OFFSET_OFFSET);
        return (int) crc.getValue();
    }
}
