package dev.stratus.metadata.journal;

import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.record.BrokerDrainRecord;
import dev.stratus.metadata.record.BrokerFencingRecord;
import dev.stratus.metadata.record.BrokerRecord;
import dev.stratus.metadata.record.FeatureLevelRecord;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.metadata.record.NextObjectIdRecord;
import dev.stratus.metadata.record.NextStreamIdRecord;
import dev.stratus.metadata.record.ObjectRecord;
import dev.stratus.metadata.record.ObjectsMarkedRecord;
import dev.stratus.metadata.record.ObjectsPreparedRecord;
import dev.stratus.metadata.record.ObjectsRemovedRecord;
import dev.stratus.metadata.record.PartitionRecord;
import dev.stratus.metadata.record.ProducerIdsRecord;
import dev.stratus.metadata.record.RemoveStreamRecord;
import dev.stratus.metadata.record.RemoveTopicRecord;
import dev.stratus.metadata.record.StreamRecord;
import dev.stratus.metadata.record.TopicRecord;
import dev.stratus.storage.metadata.ObjectType;
import dev.stratus.storage.metadata.StreamMetadata.StreamState;
import dev.stratus.storage.metadata.StreamOffsetRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Encodes metadata records as {@code type:int8, version:int8, fields...} in big-endian order;
 * strings are modified UTF-8 with an int16 length (DataOutput). A new field means a new
 * version; readers reject versions they do not know rather than guess. Versions in use: 0 for
 * every record, except objects written as version 1 (with the object type; version 0 objects
 * are read as stream set objects). Stateless.
 */
public final class MetadataRecordCodec {

    private static final byte VERSION = 0;
    /** Object records from version 1 on end with the object type (stream set or stream object). */
    private static final byte OBJECT_VERSION = 1;
    /** Broker records from version 1 on carry incarnation id, host, port and rack ("" for none). */
    private static final byte BROKER_VERSION = 1;
    /** Version 1 of the partition record adds the checkpoint stream, version 2 the broker it moves to. */
    private static final byte PARTITION_VERSION = 2;

    private static final byte TOPIC = 1;
    private static final byte REMOVE_TOPIC = 2;
    private static final byte PARTITION = 3;
    private static final byte STREAM = 4;
    private static final byte REMOVE_STREAM = 5;
    private static final byte OBJECT = 6;
    private static final byte NEXT_OBJECT_ID = 7;
    private static final byte BROKER = 8;
    private static final byte PRODUCER_IDS = 9;
    private static final byte OBJECTS_PREPARED = 10;
    private static final byte OBJECTS_MARKED = 11;
    private static final byte OBJECTS_REMOVED = 12;
    private static final byte NEXT_STREAM_ID = 13;
    private static final byte FEATURE_LEVEL = 14;
    private static final byte BROKER_FENCING = 15;
    private static final byte BROKER_DRAIN = 16;

    private MetadataRecordCodec() {
    }

    public static byte[] encode(MetadataRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (record instanceof TopicRecord r) {
                header(out, TOPIC);
                out.writeUTF(r.name());
                writeUuid(out, r.topicId());
                out.writeInt(r.configs().size());
                for (Map.Entry<String, String> e : r.configs().entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeUTF(e.getValue());
                }
            } else if (record instanceof RemoveTopicRecord r) {
                header(out, REMOVE_TOPIC);
                writeUuid(out, r.topicId());
            } else if (record instanceof PartitionRecord r) {
                out.writeByte(PARTITION);
                out.writeByte(PARTITION_VERSION);
                writeUuid(out, r.topicId());
                out.writeInt(r.partition());
                out.writeLong(r.streamId());
                out.writeInt(r.leaderId());
                out.writeInt(r.leaderEpoch());
                out.writeLong(r.checkpointStreamId());
                out.writeInt(r.movingTo());
            } else if (record instanceof StreamRecord r) {
                header(out, STREAM);
                out.writeLong(r.streamId());
                out.writeLong(r.epoch());
                out.writeLong(r.startOffset());
                out.writeLong(r.endOffset());
                out.writeByte(r.state().ordinal());
            } else if (record instanceof RemoveStreamRecord r) {
                header(out, REMOVE_STREAM);
                out.writeLong(r.streamId());
            } else if (record instanceof ObjectRecord r) {
                out.writeByte(OBJECT);
                out.writeByte(OBJECT_VERSION);
                out.writeLong(r.objectId());
                out.writeLong(r.sizeBytes());
                out.writeLong(r.committedAtMs());
                out.writeInt(r.ranges().size());
                for (StreamOffsetRange range : r.ranges()) {
                    out.writeLong(range.streamId());
                    out.writeLong(range.startOffset());
                    out.writeLong(range.endOffset());
                }
                out.writeByte(r.type().ordinal());
            } else if (record instanceof NextObjectIdRecord r) {
                header(out, NEXT_OBJECT_ID);
                out.writeLong(r.nextObjectId());
            } else if (record instanceof ObjectsPreparedRecord r) {
                header(out, OBJECTS_PREPARED);
                out.writeLong(r.firstObjectId());
                out.writeInt(r.count());
                out.writeLong(r.preparedAtMs());
                out.writeLong(r.expiresAtMs());
            } else if (record instanceof ObjectsMarkedRecord r) {
                header(out, OBJECTS_MARKED);
                out.writeLong(r.markedAtMs());
                writeIds(out, r.objectIds());
            } else if (record instanceof ObjectsRemovedRecord r) {
                header(out, OBJECTS_REMOVED);
                writeIds(out, r.objectIds());
            } else if (record instanceof BrokerRecord r) {
                out.writeByte(BROKER);
                out.writeByte(BROKER_VERSION);
                out.writeInt(r.brokerId());
                out.writeLong(r.brokerEpoch());
                writeUuid(out, r.incarnationId());
                out.writeUTF(r.host());
                out.writeInt(r.port());
                out.writeUTF(r.rack() == null ? "" : r.rack());
            } else if (record instanceof NextStreamIdRecord r) {
                header(out, NEXT_STREAM_ID);
                out.writeLong(r.nextStreamId());
            } else if (record instanceof BrokerDrainRecord r) {
                header(out, BROKER_DRAIN);
                out.writeInt(r.brokerId());
                out.writeLong(r.brokerEpoch());
            } else if (record instanceof BrokerFencingRecord r) {
                header(out, BROKER_FENCING);
                out.writeInt(r.brokerId());
                out.writeLong(r.brokerEpoch());
                out.writeBoolean(r.fenced());
            } else if (record instanceof FeatureLevelRecord r) {
                header(out, FEATURE_LEVEL);
                out.writeUTF(r.name());
                out.writeShort(r.level());
            } else if (record instanceof ProducerIdsRecord r) {
                header(out, PRODUCER_IDS);
                out.writeLong(r.nextProducerId());
            } else {
                throw new IllegalArgumentException("unknown record " + record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes one record; throws {@link IllegalArgumentException} for anything it does not know. */
    public static MetadataRecord decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte type = in.readByte();
            byte version = in.readByte();
            if (version != VERSION && !(type == OBJECT && version == OBJECT_VERSION)
                    && !(type == BROKER && version == BROKER_VERSION) && !(type == PARTITION && version >= 1 && version <= PARTITION_VERSION)) {
                throw new IllegalArgumentException("unknown version " + version + " of record type " + type);
            }
            return switch (type) {
                case TOPIC -> {
                    String name = in.readUTF();
                    UUID id = readUuid(in);
                    int count = in.readInt();
                    Map<String, String> configs = new LinkedHashMap<>();
                    for (int i = 0; i < count; i++) {
                        configs.put(in.readUTF(), in.readUTF());
                    }
                    yield new TopicRecord(name, id, configs);
                }
                case REMOVE_TOPIC -> new RemoveTopicRecord(readUuid(in));
                case PARTITION -> new PartitionRecord(readUuid(in), in.readInt(), in.readLong(), in.readInt(), in.readInt(),
                        version >= 1 ? in.readLong() : PartitionMetadata.NO_CHECKPOINT_STREAM,
                        version >= 2 ? in.readInt() : PartitionMetadata.NOT_MOVING);
                case STREAM -> new StreamRecord(in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                        enumAt(StreamState.values(), in.readByte()));
                case REMOVE_STREAM -> new RemoveStreamRecord(in.readLong());
                case OBJECT -> {
                    long objectId = in.readLong();
                    long size = in.readLong();
                    long committedAtMs = in.readLong();
                    int count = in.readInt();
                    if (count < 0) {
                        throw new IllegalArgumentException("negative range count " + count);
                    }
                    List<StreamOffsetRange> ranges = new ArrayList<>(Math.min(count, 1024));
                    for (int i = 0; i < count; i++) {
                        ranges.add(new StreamOffsetRange(in.readLong(), in.readLong(), in.readLong()));
                    }
                    ObjectType objectType = version >= OBJECT_VERSION ? enumAt(ObjectType.values(), in.readByte()) : ObjectType.STREAM_SET;
                    yield new ObjectRecord(objectId, size, ranges, committedAtMs, objectType);
                }
                case OBJECTS_PREPARED -> new ObjectsPreparedRecord(in.readLong(), in.readInt(), in.readLong(), in.readLong());
                case OBJECTS_MARKED -> {
                    long markedAtMs = in.readLong();
                    yield new ObjectsMarkedRecord(readIds(in), markedAtMs);
                }
                case OBJECTS_REMOVED -> new ObjectsRemovedRecord(readIds(in));
                case NEXT_OBJECT_ID -> new NextObjectIdRecord(in.readLong());
                case BROKER -> {
                    int brokerId = in.readInt();
                    long epoch = in.readLong();
                    if (version < BROKER_VERSION) {
                        yield new BrokerRecord(brokerId, epoch);
                    }
                    UUID incarnation = readUuid(in);
                    String host = in.readUTF();
                    int port = in.readInt();
                    String rack = in.readUTF();
                    yield new BrokerRecord(brokerId, epoch, incarnation, host, port, rack.isEmpty() ? null : rack);
                }
                case NEXT_STREAM_ID -> new NextStreamIdRecord(in.readLong());
                case FEATURE_LEVEL -> new FeatureLevelRecord(in.readUTF(), in.readShort());
                case BROKER_FENCING -> new BrokerFencingRecord(in.readInt(), in.readLong(), in.readBoolean());
                case BROKER_DRAIN -> new BrokerDrainRecord(in.readInt(), in.readLong());
                case PRODUCER_IDS -> new ProducerIdsRecord(in.readLong());
                default -> throw new IllegalArgumentException("unknown record type " + type);
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated record", e);
        }
    }

    private static <E> E enumAt(E[] values, byte index) {
        if (index < 0 || index >= values.length) {
            throw new IllegalArgumentException("unknown " + values[0].getClass().getSimpleName() + " code " + index);
        }
        return values[index];
    }

    private static void header(DataOutputStream out, byte type) throws IOException {
        out.writeByte(type);
        out.writeByte(VERSION);
    }

    private static void writeIds(DataOutputStream out, List<Long> ids) throws IOException {
        out.writeInt(ids.size());
        for (long id : ids) {
            out.writeLong(id);
        }
    }

    private static List<Long> readIds(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative id count " + count);
        }
        List<Long> ids = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            ids.add(in.readLong());
        }
        return ids;
    }

    private static void writeUuid(DataOutputStream out, UUID id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static UUID readUuid(DataInputStream in) throws IOException {
        return new UUID(in.readLong(), in.readLong());
    }
}
