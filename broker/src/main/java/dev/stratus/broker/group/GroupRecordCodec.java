package dev.stratus.broker.group;

import dev.stratus.broker.group.GroupMessages.CommittedOffset;
import dev.stratus.broker.group.GroupRecord.ConsumerGroupRecord;
import dev.stratus.broker.group.GroupRecord.GroupMetadataRecord;
import dev.stratus.broker.group.GroupRecord.GroupSnapshot;
import dev.stratus.broker.group.GroupRecord.MemberSnapshot;
import dev.stratus.broker.group.GroupRecord.OffsetRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * Encodes {@link GroupRecord}s as Kafka records (key, value; null value = tombstone) in one
 * magic-2 record batch, and decodes them back. Layout, big-endian (docs/formats.md, "Consumer
 * offsets topic"):
 * <pre>
 * key   := int16 type (0 offset, 1 group, 2 consumer group) , string groupId [, string topic, int32 partition]
 * offset value (v0) := int16 0, int64 offset, int32 leaderEpoch, string metadata, int64 commitTimestampMs
 * group value  (v0) := int16 0, string protocolType, int32 generation, string protocolName,
 *                      string leaderId, int64 stateTimestampMs, int32 memberCount, member*
 * member := string memberId, string instanceId, string clientId, string clientHost,
 *           int32 rebalanceTimeoutMs, int32 sessionTimeoutMs, bytes subscription, bytes assignment
 * consumer group value (v0): see {@link ConsumerGroupValueCodec}
 * string := int16 length (-1 = null), UTF-8 ; bytes := int32 length, bytes
 * </pre>
 * Stateless.
 */
final class GroupRecordCodec {

    static final short OFFSET_KEY = 0;
    static final short GROUP_KEY = 1;
    static final short CONSUMER_GROUP_KEY = 2;
    static final short VALUE_VERSION = 0;

    private GroupRecordCodec() {
    }

    static MemoryRecords encode(List<GroupRecord> records, long timestampMs) {
        SimpleRecord[] simple = new SimpleRecord[records.size()];
        for (int i = 0; i < records.size(); i++) {
            GroupRecord record = records.get(i);
            simple[i] = new SimpleRecord(timestampMs, key(record), value(record));
        }
        return MemoryRecords.withRecords(Compression.NONE, simple);
    }

    /** Every group record of {@code batches} in order; records of unknown types are skipped. */
    static List<GroupRecord> decode(MemoryRecords batches) {
        List<GroupRecord> decoded = new ArrayList<>();
        for (RecordBatch batch : batches.batches()) {
            if (batch.isControlBatch()) {
                continue;
            }
            for (Record record : batch) {
                GroupRecord groupRecord = decode(record.key(), record.value());
                if (groupRecord != null) {
                    decoded.add(groupRecord);
                }
            }
        }
        return decoded;
    }

    static GroupRecord decode(ByteBuffer key, ByteBuffer value) {
        if (key == null) {
            return null;
        }
        ByteBuffer k = key.duplicate();
        short type = k.getShort();
        String groupId = readString(k);
        ByteBuffer v = value == null ? null : value.duplicate();
        if (v != null && v.getShort() != VALUE_VERSION) {
            throw new IllegalStateException("unknown value version in __consumer_offsets for group " + groupId);
        }
        return switch (type) {
            case OFFSET_KEY -> new OffsetRecord(groupId, readString(k), k.getInt(), v == null ? null
                    : new CommittedOffset(v.getLong(), v.getInt(), readString(v), v.getLong()));
            case GROUP_KEY -> new GroupMetadataRecord(groupId, v == null ? null : readSnapshot(v));
            case CONSUMER_GROUP_KEY -> new ConsumerGroupRecord(groupId, v == null ? null : ConsumerGroupValueCodec.read(v));
            default -> null;
        };
    }

    private static GroupSnapshot readSnapshot(ByteBuffer v) {
        String protocolType = readString(v);
        int generation = v.getInt();
        String protocolName = readString(v);
        String leaderId = readString(v);
        long stateTimestampMs = v.getLong();
        int count = v.getInt();
        List<MemberSnapshot> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            members.add(new MemberSnapshot(readString(v), readString(v), readString(v), readString(v), v.getInt(),
                    v.getInt(), readBytes(v), readBytes(v)));
        }
        return new GroupSnapshot(protocolType, generation, protocolName, leaderId, stateTimestampMs, members);
    }

    private static byte[] key(GroupRecord record) {
        Writer w = new Writer();
        if (record instanceof OffsetRecord offset) {
            w.putShort(OFFSET_KEY).putString(offset.groupId()).putString(offset.topic()).putInt(offset.partition());
        } else if (record instanceof ConsumerGroupRecord) {
            w.putShort(CONSUMER_GROUP_KEY).putString(record.groupId());
        } else {
            w.putShort(GROUP_KEY).putString(record.groupId());
        }
        return w.toBytes();
    }

    private static byte[] value(GroupRecord record) {
        if (record instanceof OffsetRecord offset) {
            CommittedOffset o = offset.value();
            return o == null ? null : new Writer().putShort(VALUE_VERSION).putLong(o.offset()).putInt(o.leaderEpoch())
                    .putString(o.metadata()).putLong(o.commitTimestampMs()).toBytes();
        }
        if (record instanceof ConsumerGroupRecord consumer) {
            return consumer.value() == null ? null
                    : ConsumerGroupValueCodec.write(new Writer().putShort(VALUE_VERSION), consumer.value()).toBytes();
        }
        GroupSnapshot s = ((GroupMetadataRecord) record).value();
        if (s == null) {
            return null;
        }
        Writer w = new Writer().putShort(VALUE_VERSION).putString(s.protocolType()).putInt(s.generationId())
                .putString(s.protocolName()).putString(s.leaderId()).putLong(s.stateTimestampMs())
                .putInt(s.members().size());
        for (MemberSnapshot m : s.members()) {
            w.putString(m.memberId()).putString(m.groupInstanceId()).putString(m.clientId()).putString(m.clientHost())
                    .putInt(m.rebalanceTimeoutMs()).putInt(m.sessionTimeoutMs()).putBytes(m.subscription())
                    .putBytes(m.assignment());
        }
        return w.toBytes();
    }

    static String readString(ByteBuffer buffer) {
        short length = buffer.getShort();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getInt()];
        buffer.get(bytes);
        return bytes;
    }

    /** A growing big-endian buffer. */
    static final class Writer {
        private ByteBuffer buffer = ByteBuffer.allocate(128);

        private void ensure(int more) {
            if (buffer.remaining() < more) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
        }

        Writer putShort(short value) {
            ensure(2);
            buffer.putShort(value);
            return this;
        }

        Writer putInt(int value) {
            ensure(4);
            buffer.putInt(value);
            return this;
        }

        Writer putLong(long value) {
            ensure(8);
            buffer.putLong(value);
            return this;
        }

        Writer putString(String value) {
            if (value == null) {
                return putShort((short) -1);
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("string longer than " + Short.MAX_VALUE + " bytes");
            }
            putShort((short) bytes.length);
            ensure(bytes.length);
            buffer.put(bytes);
            return this;
        }

        /** {@code value} as is, with no length. */
        Writer putBytesRaw(byte[] value) {
            ensure(value.length);
            buffer.put(value);
            return this;
        }

        Writer putBytes(byte[] value) {
            byte[] bytes = value == null ? new byte[0] : value;
            putInt(bytes.length);
            ensure(bytes.length);
            buffer.put(bytes);
            return this;
        }

        byte[] toBytes() {
            byte[] bytes = new byte[buffer.position()];
            buffer.flip();
            buffer.get(bytes);
            return bytes;
        }
    }
}
