package dev.stratus.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.RequestUtils;
import org.junit.jupiter.api.Test;

class ResponseEncoderTest {

    private final ByteBufAllocator allocator = new PooledByteBufAllocator(true);

    @Test
    void aFetchResponseWithOneStoredBatchIsByteIdenticalToKafkasOwnSerialization() {
        MemoryRecords batch = batch(1, 10, 100);
        FetchResponseData body = fetchResponse(batch);

        assertThat(encode(ApiKeys.FETCH, (short) 16, body)).isEqualTo(kafkaFrame(ApiKeys.FETCH, (short) 16, body));
        assertThat(encode(ApiKeys.FETCH, (short) 7, body)).isEqualTo(kafkaFrame(ApiKeys.FETCH, (short) 7, body));
    }

    @Test
    void aFetchResponseOfSeveralStoredBuffersEqualsOneOfTheirConcatenation() {
        List<ByteBuffer> stored = List.of(batch(2, 3, 50).buffer(), batch(3, 40, 1000).buffer(), batch(4, 1, 7).buffer());
        ByteBuffer joined = ByteBuffer.allocate(stored.stream().mapToInt(ByteBuffer::remaining).sum());
        stored.forEach(buffer -> joined.put(buffer.duplicate()));
        joined.flip();

        byte[] encoded = encode(ApiKeys.FETCH, (short) 16, fetchResponse(new BufferSequence(stored)));

        assertThat(encoded).isEqualTo(kafkaFrame(ApiKeys.FETCH, (short) 16,
                fetchResponse(MemoryRecords.readableRecords(joined))));
    }

    @Test
    void recordsLargerThanOnePieceAreSplitAcrossPiecesWithoutChangingABit() {
        MemoryRecords large = batch(5, 3, FrameWriter.MAX_PIECE_BYTES);
        FetchResponseData body = fetchResponse(large);

        assertThat(encode(ApiKeys.FETCH, (short) 12, body)).isEqualTo(kafkaFrame(ApiKeys.FETCH, (short) 12, body));
    }

    @Test
    void aResponseWithStringsVarintsAndTaggedFieldsMatchesKafkasSerialization() {
        MetadataResponseData body = new MetadataResponseData().setClusterId("cluster-é").setControllerId(1);
        for (int i = 0; i < 300; i++) {
            body.topics().add(new MetadataResponseData.MetadataResponseTopic().setName("topic-" + i)
                    .setTopicId(Uuid.randomUuid()).setTopicAuthorizedOperations(-2147483648));
        }
        body.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(1).setHost("127.0.0.1").setPort(9092));

        assertThat(encode(ApiKeys.METADATA, (short) 12, body)).isEqualTo(kafkaFrame(ApiKeys.METADATA, (short) 12, body));
        assertThat(encode(ApiKeys.METADATA, (short) 1, body)).isEqualTo(kafkaFrame(ApiKeys.METADATA, (short) 1, body));
    }

    @Test
    void theFrameIsDirectMemoryThatTheSocketWritesWithoutAnotherCopy() {
        ByteBuf frame = ResponseEncoder.encode(allocator, 7,
                new Reply.Respond(ApiKeys.FETCH, (short) 16, fetchResponse(batch(6, 100, 1000))));
        try {
            assertThat(frame.isDirect()).isTrue();
        } finally {
            frame.release();
        }
        assertThat(frame.refCnt()).isZero();
    }

    private byte[] encode(ApiKeys api, short version, ApiMessage body) {
        ByteBuf frame = ResponseEncoder.encode(allocator, 42, new Reply.Respond(api, version, body));
        try {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.getBytes(frame.readerIndex(), bytes);
            return bytes;
        } finally {
            frame.release();
        }
    }

    private static byte[] kafkaFrame(ApiKeys api, short version, ApiMessage body) {
        ByteBuffer serialized = RequestUtils.serialize(new ResponseHeaderData().setCorrelationId(42),
                api.responseHeaderVersion(version), body, version);
        ByteBuffer frame = ByteBuffer.allocate(4 + serialized.remaining()).putInt(serialized.remaining()).put(serialized);
        return frame.array();
    }

    private static FetchResponseData fetchResponse(BaseRecords records) {
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse()
                .setTopic("orders").setTopicId(new Uuid(1, 2));
        topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(0).setHighWatermark(10)
                .setLastStableOffset(10).setLogStartOffset(0).setRecords(records));
        topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(1).setHighWatermark(0)
                .setRecords(MemoryRecords.EMPTY));
        return new FetchResponseData().setSessionId(3).setResponses(new ArrayList<>(List.of(topic)));
    }

    private static MemoryRecords batch(long seed, int count, int valueBytes) {
        Random random = new Random(seed);
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[valueBytes];
            random.nextBytes(value);
            records[i] = new SimpleRecord(seed * 1000 + i, value);
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }
}
