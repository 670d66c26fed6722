package dev.stratus.metadata.rpc;

import dev.stratus.metadata.BrokerLoad;
import dev.stratus.metadata.BrokerRegistrationRequest;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.config.ConfigOp;
import dev.stratus.metadata.journal.MetadataRecordCodec;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.metadata.rpc.ControllerResponse.Batch;
import dev.stratus.metadata.rpc.ControllerResponse.ErrorKind;
import dev.stratus.storage.metadata.CommitRange;
import dev.stratus.storage.metadata.CommitRequest;
import dev.stratus.storage.metadata.NewObject;
import dev.stratus.storage.metadata.ObjectType;
import dev.stratus.storage.metadata.StreamMetadata.StreamState;
import dev.stratus.storage.metadata.StreamMetadata;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The byte form of {@link ControllerRequest}s and {@link ControllerResponse}s on the quorum's
 * transport, big-endian: {@code version:int8 (0)}, then a request is {@code brokerId:int32,
 * brokerEpoch:int64, tag:int8, fields} and a response {@code tag:int8, fields}. Request tags:
 * 1 RegisterBroker, 2 BrokerHeartbeat, 3 CreateTopic, 4 AlterTopicConfigs, 5 CreatePartitions,
 * 6 DeleteTopic, 7 AllocateProducerIds, 8 CreateStream, 9 OpenStream, 10 CloseStream,
 * 11 TrimStream, 12 DeleteStream, 13 PrepareObjects, 14 CommitObjects, 15 MarkOrphans,
 * 16 ForgetObjects, 17 FetchMetadata, 18 DescribeQuorum, 19 ReassignPartition, 20 CompletePartitionMove, 21 DrainBroker. Response tags: 1 Done, 2 Failed, 3 Batches, 4 Snapshot,
 * 5 Quorum;
 * a Done value is tagged 0 null, 1 Long, 2 TopicMetadata, 3 StreamMetadata, 4 List of Long.
 * Strings are modified UTF-8 (DataOutput), a nullable one after a presence flag; lists and maps
 * are {@code count:int32, entries}; records inside are {@code length:int32,}
 * {@link MetadataRecordCodec} bytes. Decoding refuses anything malformed with
 * {@link IllegalArgumentException}. Stateless.
 */
public final class ControllerMessageCodec {

    private static final byte VERSION = 0;

    private static final byte REGISTER_BROKER = 1;
    private static final byte BROKER_HEARTBEAT = 2;
    private static final byte CREATE_TOPIC = 3;
    private static final byte ALTER_TOPIC_CONFIGS = 4;
    private static final byte CREATE_PARTITIONS = 5;
    private static final byte DELETE_TOPIC = 6;
    private static final byte ALLOCATE_PRODUCER_IDS = 7;
    private static final byte CREATE_STREAM = 8;
    private static final byte OPEN_STREAM = 9;
    private static final byte CLOSE_STREAM = 10;
    private static final byte TRIM_STREAM = 11;
    private static final byte DELETE_STREAM = 12;
    private static final byte PREPARE_OBJECTS = 13;
    private static final byte COMMIT_OBJECTS = 14;
    private static final byte MARK_ORPHANS = 15;
    private static final byte FORGET_OBJECTS = 16;
    private static final byte FETCH_METADATA = 17;
    private static final byte DESCRIBE_QUORUM = 18;
    private static final byte REASSIGN_PARTITION = 19;
    private static final byte COMPLETE_PARTITION_MOVE = 20;
    private static final byte DRAIN_BROKER = 21;

    private static final byte DONE = 1;
    private static final byte FAILED = 2;
    private static final byte BATCHES = 3;
    private static final byte SNAPSHOT = 4;
    private static final byte QUORUM = 5;
    /** A replica: id, log end offset, last fetch and last caught-up times. */
    private static final int MIN_REPLICA = 4 + 8 + 8 + 8;
    /** A partition's load: topic id, partition, bytes in and out. */
    private static final int MIN_PARTITION_LOAD = 16 + 4 + 8 + 8;

    private static final byte NO_VALUE = 0;
    private static final byte LONG_VALUE = 1;
    private static final byte TOPIC_VALUE = 2;
    private static final byte STREAM_VALUE = 3;
    private static final byte LONG_LIST_VALUE = 4;

    // The fewest bytes one entry can take on the wire: a count is refused when even entries that
    // small would not fit in what is left, so a corrupt count never sizes an allocation.
    private static final int MIN_LONG = 8;
    private static final int MIN_STRING_PAIR = 4;
    private static final int MIN_CONFIG_OP = 4;
    private static final int MIN_NEW_OBJECT = 21;
    private static final int MIN_COMMIT_RANGE = 32;
    private static final int MIN_PARTITION = 34;
    private static final int MIN_BATCH = 12;
    private static final int MIN_RECORD = 4;

    private ControllerMessageCodec() {
    }

    public static byte[] encodeRequest(ControllerRequest.Envelope envelope) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(envelope.brokerId());
            out.writeLong(envelope.brokerEpoch());
            writeRequest(out, envelope.request());
        } catch (UTFDataFormatException e) {
            throw new IllegalArgumentException("a string too long to encode: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ControllerRequest.Envelope decodeRequest(byte[] bytes) {
        try (DataInputStream in = open(bytes)) {
            int brokerId = in.readInt();
            long brokerEpoch = in.readLong();
            ControllerRequest request = readRequest(in);
            requireEnd(in);
            return new ControllerRequest.Envelope(brokerId, brokerEpoch, request);
        } catch (IOException e) {
            throw refused("request", e);
        }
    }

    public static byte[] encodeResponse(ControllerResponse response) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeResponse(out, response);
        } catch (UTFDataFormatException e) {
            throw new IllegalArgumentException("a string too long to encode: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ControllerResponse decodeResponse(byte[] bytes) {
        try (DataInputStream in = open(bytes)) {
            ControllerResponse response = readResponse(in);
            requireEnd(in);
            return response;
        } catch (IOException e) {
            throw refused("response", e);
        }
    }

    private static void writeRequest(DataOutputStream out, ControllerRequest request) throws IOException {
        if (request instanceof ControllerRequest.RegisterBroker r) {
            BrokerRegistrationRequest registration = required(r.registration(), "registration");
            out.writeByte(REGISTER_BROKER);
            out.writeInt(registration.brokerId());
            writeUuid(out, registration.incarnationId(), "incarnation id");
            writeString(out, registration.host(), "host");
            out.writeInt(registration.port());
            writeNullableString(out, registration.rack());
        } else if (request instanceof ControllerRequest.BrokerHeartbeat r) {
            out.writeByte(BROKER_HEARTBEAT);
            out.writeInt(r.brokerId());
            out.writeLong(r.brokerEpoch());
            out.writeBoolean(r.shuttingDown());
            writeLoad(out, r.load());
        } else if (request instanceof ControllerRequest.CreateTopic r) {
            out.writeByte(CREATE_TOPIC);
            writeString(out, r.name(), "topic name");
            out.writeInt(r.partitions());
            writeStringMap(out, r.configs());
        } else if (request instanceof ControllerRequest.AlterTopicConfigs r) {
            out.writeByte(ALTER_TOPIC_CONFIGS);
            writeString(out, r.name(), "topic name");
            out.writeInt(r.ops().size());
            for (ConfigOp op : r.ops()) {
                out.writeByte(op.type().id());
                writeString(out, op.name(), "config name");
                writeNullableString(out, op.value());
            }
            out.writeBoolean(r.replaceAll());
            out.writeBoolean(r.validateOnly());
        } else if (request instanceof ControllerRequest.CreatePartitions r) {
            out.writeByte(CREATE_PARTITIONS);
            writeString(out, r.name(), "topic name");
            out.writeInt(r.totalCount());
            out.writeBoolean(r.validateOnly());
        } else if (request instanceof ControllerRequest.DeleteTopic r) {
            out.writeByte(DELETE_TOPIC);
            writeString(out, r.name(), "topic name");
        } else if (request instanceof ControllerRequest.ReassignPartition r) {
            out.writeByte(REASSIGN_PARTITION);
            writeString(out, r.name(), "topic name");
            out.writeInt(r.partition());
            out.writeInt(r.target());
        } else if (request instanceof ControllerRequest.DrainBroker) {
            out.writeByte(DRAIN_BROKER);
        } else if (request instanceof ControllerRequest.CompletePartitionMove r) {
            out.writeByte(COMPLETE_PARTITION_MOVE);
            writeUuid(out, r.topicId(), "topic id");
            out.writeInt(r.partition());
            out.writeInt(r.leaderEpoch());
        } else if (request instanceof ControllerRequest.AllocateProducerIds r) {
            out.writeByte(ALLOCATE_PRODUCER_IDS);
            out.writeInt(r.count());
        } else if (request instanceof ControllerRequest.CreateStream) {
            out.writeByte(CREATE_STREAM);
        } else if (request instanceof ControllerRequest.OpenStream r) {
            out.writeByte(OPEN_STREAM);
            out.writeLong(r.streamId());
            out.writeLong(r.epoch());
        } else if (request instanceof ControllerRequest.CloseStream r) {
            out.writeByte(CLOSE_STREAM);
            out.writeLong(r.streamId());
            out.writeLong(r.epoch());
        } else if (request instanceof ControllerRequest.TrimStream r) {
            out.writeByte(TRIM_STREAM);
            out.writeLong(r.streamId());
            out.writeLong(r.epoch());
            out.writeLong(r.newStartOffset());
        } else if (request instanceof ControllerRequest.DeleteStream r) {
            out.writeByte(DELETE_STREAM);
            out.writeLong(r.streamId());
            out.writeLong(r.epoch());
        } else if (request instanceof ControllerRequest.PrepareObjects r) {
            out.writeByte(PREPARE_OBJECTS);
            out.writeInt(r.count());
            out.writeLong(r.ttlMs());
        } else if (request instanceof ControllerRequest.CommitObjects r) {
            CommitRequest commit = required(r.commit(), "commit");
            out.writeByte(COMMIT_OBJECTS);
            out.writeInt(commit.objects().size());
            for (NewObject object : commit.objects()) {
                out.writeLong(object.objectId());
                out.writeByte(objectTypeCode(object.type()));
                out.writeLong(object.sizeBytes());
                out.writeInt(object.ranges().size());
                for (CommitRange range : object.ranges()) {
                    out.writeLong(range.streamId());
                    out.writeLong(range.epoch());
                    out.writeLong(range.startOffset());
                    out.writeLong(range.endOffset());
                }
            }
            writeLongs(out, commit.compactedObjectIds());
        } else if (request instanceof ControllerRequest.MarkOrphans r) {
            out.writeByte(MARK_ORPHANS);
            writeLongs(out, r.objectIds());
        } else if (request instanceof ControllerRequest.ForgetObjects r) {
            out.writeByte(FORGET_OBJECTS);
            writeLongs(out, r.objectIds());
        } else if (request instanceof ControllerRequest.FetchMetadata r) {
            out.writeByte(FETCH_METADATA);
            out.writeLong(r.afterOffset());
            out.writeLong(r.maxWaitMs());
        } else if (request instanceof ControllerRequest.DescribeQuorum) {
            out.writeByte(DESCRIBE_QUORUM);
        } else {
            throw new IllegalArgumentException("no wire form for request " + request);
        }
    }

    private static ControllerRequest readRequest(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case REGISTER_BROKER -> new ControllerRequest.RegisterBroker(new BrokerRegistrationRequest(in.readInt(),
                    readUuid(in), in.readUTF(), in.readInt(), readNullableString(in)));
            case BROKER_HEARTBEAT -> new ControllerRequest.BrokerHeartbeat(in.readInt(), in.readLong(), readFlag(in),
                    readLoad(in));
            case CREATE_TOPIC -> new ControllerRequest.CreateTopic(in.readUTF(), in.readInt(), readStringMap(in));
            case ALTER_TOPIC_CONFIGS -> {
                String name = in.readUTF();
                int count = readCount(in, MIN_CONFIG_OP, "config op");
                List<ConfigOp> ops = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    byte id = in.readByte();
                    ConfigOp.Type type = ConfigOp.Type.fromId(id);
                    if (type == null) {
                        throw new IllegalArgumentException("unknown config op type " + id);
                    }
                    ops.add(new ConfigOp(type, in.readUTF(), readNullableString(in)));
                }
                yield new ControllerRequest.AlterTopicConfigs(name, ops, readFlag(in), readFlag(in));
            }
            case CREATE_PARTITIONS -> new ControllerRequest.CreatePartitions(in.readUTF(), in.readInt(), readFlag(in));
            case DELETE_TOPIC -> new ControllerRequest.DeleteTopic(in.readUTF());
            case REASSIGN_PARTITION -> new ControllerRequest.ReassignPartition(in.readUTF(), in.readInt(), in.readInt());
            case DRAIN_BROKER -> new ControllerRequest.DrainBroker();
            case COMPLETE_PARTITION_MOVE -> new ControllerRequest.CompletePartitionMove(readUuid(in), in.readInt(), in.readInt());
            case ALLOCATE_PRODUCER_IDS -> new ControllerRequest.AllocateProducerIds(in.readInt());
            case CREATE_STREAM -> new ControllerRequest.CreateStream();
            case OPEN_STREAM -> new ControllerRequest.OpenStream(in.readLong(), in.readLong());
            case CLOSE_STREAM -> new ControllerRequest.CloseStream(in.readLong(), in.readLong());
            case TRIM_STREAM -> new ControllerRequest.TrimStream(in.readLong(), in.readLong(), in.readLong());
            case DELETE_STREAM -> new ControllerRequest.DeleteStream(in.readLong(), in.readLong());
            case PREPARE_OBJECTS -> new ControllerRequest.PrepareObjects(in.readInt(), in.readLong());
            case COMMIT_OBJECTS -> {
                int count = readCount(in, MIN_NEW_OBJECT, "object");
                List<NewObject> objects = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    long objectId = in.readLong();
                    ObjectType type = objectType(in.readByte());
                    long sizeBytes = in.readLong();
                    int rangeCount = readCount(in, MIN_COMMIT_RANGE, "range");
                    List<CommitRange> ranges = new ArrayList<>(rangeCount);
                    for (int j = 0; j < rangeCount; j++) {
                        ranges.add(new CommitRange(in.readLong(), in.readLong(), in.readLong(), in.readLong()));
                    }
                    objects.add(new NewObject(objectId, type, sizeBytes, ranges));
                }
                yield new ControllerRequest.CommitObjects(new CommitRequest(objects, readLongs(in)));
            }
            case MARK_ORPHANS -> new ControllerRequest.MarkOrphans(readLongs(in));
            case FORGET_OBJECTS -> new ControllerRequest.ForgetObjects(readLongs(in));
            case FETCH_METADATA -> new ControllerRequest.FetchMetadata(in.readLong(), in.readLong());
            case DESCRIBE_QUORUM -> new ControllerRequest.DescribeQuorum();
            default -> throw new IllegalArgumentException("unknown request type " + tag);
        };
    }

    private static void writeResponse(DataOutputStream out, ControllerResponse response) throws IOException {
        if (response instanceof ControllerResponse.Done r) {
            out.writeByte(DONE);
            out.writeLong(r.offset());
            writeValue(out, r.value());
        } else if (response instanceof ControllerResponse.Failed r) {
            out.writeByte(FAILED);
            out.writeByte(errorKindCode(r.kind()));
            writeNullableString(out, r.code());
            writeNullableString(out, r.message());
            out.writeInt(r.leaderId());
        } else if (response instanceof ControllerResponse.Batches r) {
            out.writeByte(BATCHES);
            out.writeInt(r.batches().size());
            for (Batch batch : r.batches()) {
                out.writeLong(batch.offset());
                writeRecords(out, batch.records());
            }
        } else if (response instanceof ControllerResponse.Snapshot r) {
            out.writeByte(SNAPSHOT);
            out.writeLong(r.offset());
            writeRecords(out, r.records());
        } else if (response instanceof ControllerResponse.Quorum r) {
            out.writeByte(QUORUM);
            out.writeInt(r.leaderId());
            out.writeLong(r.leaderEpoch());
            out.writeLong(r.highWatermark());
            writeReplicas(out, r.voters());
            writeReplicas(out, r.observers());
        } else {
            throw new IllegalArgumentException("no wire form for response " + response);
        }
    }

    private static ControllerResponse readResponse(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case DONE -> new ControllerResponse.Done(in.readLong(), readValue(in));
            case FAILED -> new ControllerResponse.Failed(errorKind(in.readByte()), readNullableString(in),
                    readNullableString(in), in.readInt());
            case BATCHES -> {
                int count = readCount(in, MIN_BATCH, "batch");
                List<Batch> batches = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    batches.add(new Batch(in.readLong(), readRecords(in)));
                }
                yield new ControllerResponse.Batches(batches);
            }
            case SNAPSHOT -> new ControllerResponse.Snapshot(in.readLong(), readRecords(in));
            case QUORUM -> new ControllerResponse.Quorum(in.readInt(), in.readLong(), in.readLong(), readReplicas(in),
                    readReplicas(in));
            default -> throw new IllegalArgumentException("unknown response type " + tag);
        };
    }

    private static void writeLoad(DataOutputStream out, BrokerLoad load) throws IOException {
        out.writeLong(load.requests());
        out.writeLong(load.walBacklogBytes());
        out.writeInt(load.partitions().size());
        for (BrokerLoad.PartitionLoad partition : load.partitions()) {
            writeUuid(out, partition.topicId(), "topic id");
            out.writeInt(partition.partition());
            out.writeLong(partition.bytesIn());
            out.writeLong(partition.bytesOut());
        }
        out.writeLong(load.metadataOffset());
    }

    private static BrokerLoad readLoad(DataInputStream in) throws IOException {
        long requests = in.readLong();
        long backlog = in.readLong();
        int count = readCount(in, MIN_PARTITION_LOAD, "partition load");
        List<BrokerLoad.PartitionLoad> partitions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            partitions.add(new BrokerLoad.PartitionLoad(readUuid(in), in.readInt(), in.readLong(), in.readLong()));
        }
        return new BrokerLoad(requests, backlog, partitions, in.readLong());
    }

    private static void writeReplicas(DataOutputStream out, List<ControllerResponse.Replica> replicas) throws IOException {
        out.writeInt(replicas.size());
        for (ControllerResponse.Replica replica : replicas) {
            out.writeInt(replica.id());
            out.writeLong(replica.logEndOffset());
            out.writeLong(replica.lastFetchTimestampMs());
            out.writeLong(replica.lastCaughtUpTimestampMs());
        }
    }

    private static List<ControllerResponse.Replica> readReplicas(DataInputStream in) throws IOException {
        int count = readCount(in, MIN_REPLICA, "replica");
        List<ControllerResponse.Replica> replicas = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            replicas.add(new ControllerResponse.Replica(in.readInt(), in.readLong(), in.readLong(), in.readLong()));
        }
        return replicas;
    }

    private static void writeValue(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NO_VALUE);
        } else if (value instanceof Long v) {
            out.writeByte(LONG_VALUE);
            out.writeLong(v);
        } else if (value instanceof TopicMetadata v) {
            out.writeByte(TOPIC_VALUE);
            writeString(out, v.name(), "topic name");
            writeUuid(out, v.topicId(), "topic id");
            out.writeInt(v.partitions().size());
            for (PartitionMetadata p : v.partitions()) {
                writeString(out, p.topic(), "partition topic");
                out.writeInt(p.partition());
                out.writeLong(p.streamId());
                out.writeInt(p.leaderId());
                out.writeInt(p.leaderEpoch());
                out.writeLong(p.checkpointStreamId());
                out.writeInt(p.movingTo());
            }
            writeStringMap(out, v.configs());
        } else if (value instanceof StreamMetadata v) {
            out.writeByte(STREAM_VALUE);
            out.writeLong(v.streamId());
            out.writeLong(v.epoch());
            out.writeLong(v.startOffset());
            out.writeLong(v.endOffset());
            out.writeByte(streamStateCode(v.state()));
        } else if (value instanceof List<?> list) {
            List<Long> ids = new ArrayList<>(list.size());
            for (Object element : list) {
                if (!(element instanceof Long id)) {
                    throw new IllegalArgumentException("a Done list holds only Longs, not " + element);
                }
                ids.add(id);
            }
            out.writeByte(LONG_LIST_VALUE);
            writeLongs(out, ids);
        } else {
            throw new IllegalArgumentException("no wire form for " + value.getClass().getSimpleName());
        }
    }

    private static Object readValue(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case NO_VALUE -> null;
            case LONG_VALUE -> in.readLong();
            case TOPIC_VALUE -> {
                String name = in.readUTF();
                UUID topicId = readUuid(in);
                int count = readCount(in, MIN_PARTITION, "partition");
                List<PartitionMetadata> partitions = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    partitions.add(new PartitionMetadata(in.readUTF(), in.readInt(), in.readLong(), in.readInt(), in.readInt(),
                            in.readLong(), in.readInt()));
                }
                yield new TopicMetadata(name, topicId, partitions, readStringMap(in));
            }
            case STREAM_VALUE -> new StreamMetadata(in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                    streamState(in.readByte()));
            case LONG_LIST_VALUE -> readLongs(in);
            default -> throw new IllegalArgumentException("unknown Done value type " + tag);
        };
    }

    private static void writeRecords(DataOutputStream out, List<MetadataRecord> records) throws IOException {
        out.writeInt(records.size());
        for (MetadataRecord record : records) {
            byte[] payload = MetadataRecordCodec.encode(record);
            out.writeInt(payload.length);
            out.write(payload);
        }
    }

    private static List<MetadataRecord> readRecords(DataInputStream in) throws IOException {
        int count = readCount(in, MIN_RECORD, "record");
        List<MetadataRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                throw new IllegalArgumentException("record length " + length + " with " + in.available() + " bytes left");
            }
            byte[] payload = in.readNBytes(length);
            try {
                records.add(MetadataRecordCodec.decode(payload));
            } catch (RuntimeException e) {
                // The record codec indexes enum tables with the byte it reads, so corrupt input can
                // surface as an index error rather than its own IllegalArgumentException.
                throw new IllegalArgumentException("unreadable metadata record: " + e.getMessage(), e);
            }
        }
        return records;
    }

    private static void writeStringMap(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            writeString(out, e.getKey(), "config name");
            writeString(out, e.getValue(), "config value");
        }
    }

    private static Map<String, String> readStringMap(DataInputStream in) throws IOException {
        int count = readCount(in, MIN_STRING_PAIR, "config");
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String key = in.readUTF();
            if (map.put(key, in.readUTF()) != null) {
                throw new IllegalArgumentException("duplicate config " + key);
            }
        }
        return map;
    }

    private static void writeLongs(DataOutputStream out, List<Long> values) throws IOException {
        out.writeInt(values.size());
        for (long value : values) {
            out.writeLong(value);
        }
    }

    private static List<Long> readLongs(DataInputStream in) throws IOException {
        int count = readCount(in, MIN_LONG, "id");
        List<Long> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(in.readLong());
        }
        return List.copyOf(values);
    }

    private static int readCount(DataInputStream in, int minEntryBytes, String what) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IllegalArgumentException("negative " + what + " count " + count);
        }
        int left = in.available();
        if ((long) count * minEntryBytes > left) {
            throw new IllegalArgumentException(what + " count " + count + " does not fit in the " + left + " bytes left");
        }
        return count;
    }

    private static void writeString(DataOutputStream out, String value, String what) throws IOException {
        out.writeUTF(required(value, what));
    }

    private static void writeNullableString(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullableString(DataInputStream in) throws IOException {
        return readFlag(in) ? in.readUTF() : null;
    }

    /** A boolean that must be 0 or 1: any other byte means the reader has lost its place. */
    private static boolean readFlag(DataInputStream in) throws IOException {
        byte flag = in.readByte();
        if (flag != 0 && flag != 1) {
            throw new IllegalArgumentException("bad boolean " + flag);
        }
        return flag == 1;
    }

    private static void writeUuid(DataOutputStream out, UUID id, String what) throws IOException {
        required(id, what);
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static UUID readUuid(DataInputStream in) throws IOException {
        return new UUID(in.readLong(), in.readLong());
    }

    private static byte objectTypeCode(ObjectType type) {
        return switch (required(type, "object type")) {
            case STREAM_SET -> 0;
            case STREAM -> 1;
        };
    }

    private static ObjectType objectType(byte code) {
        return switch (code) {
            case 0 -> ObjectType.STREAM_SET;
            case 1 -> ObjectType.STREAM;
            default -> throw new IllegalArgumentException("unknown object type " + code);
        };
    }

    private static byte streamStateCode(StreamState state) {
        return switch (required(state, "stream state")) {
            case OPENED -> 0;
            case CLOSED -> 1;
        };
    }

    private static StreamState streamState(byte code) {
        return switch (code) {
            case 0 -> StreamState.OPENED;
            case 1 -> StreamState.CLOSED;
            default -> throw new IllegalArgumentException("unknown stream state " + code);
        };
    }

    private static byte errorKindCode(ErrorKind kind) {
        return switch (required(kind, "error kind")) {
            case METADATA -> 0;
            case STREAM -> 1;
            case NOT_CONTROLLER -> 2;
            case BAD_REQUEST -> 3;
        };
    }

    private static ErrorKind errorKind(byte code) {
        return switch (code) {
            case 0 -> ErrorKind.METADATA;
            case 1 -> ErrorKind.STREAM;
            case 2 -> ErrorKind.NOT_CONTROLLER;
            case 3 -> ErrorKind.BAD_REQUEST;
            default -> throw new IllegalArgumentException("unknown error kind " + code);
        };
    }

    private static <T> T required(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        return value;
    }

    private static DataInputStream open(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("empty message");
        }
        if (bytes[0] != VERSION) {
            throw new IllegalArgumentException("unknown message version " + bytes[0]);
        }
        return new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1));
    }

    private static void requireEnd(DataInputStream in) throws IOException {
        int left = in.available();
        if (left != 0) {
            throw new IllegalArgumentException(left + " bytes after the end of the message");
        }
    }

    private static IllegalArgumentException refused(String what, IOException e) {
        String reason = e instanceof EOFException ? "truncated " + what
                : e instanceof UTFDataFormatException ? "malformed string in " + what
                : "unreadable " + what + ": " + e.getMessage();
        return new IllegalArgumentException(reason, e);
    }
}
