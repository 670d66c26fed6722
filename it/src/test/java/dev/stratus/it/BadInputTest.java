package dev.stratus.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.it.support.InProcessStratus;
import dev.stratus.it.support.RawKafkaConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets Kafka's error code (or a closed connection for broken framing), writes
 * nothing, and never stops the server from serving other connections.
 */
class BadInputTest {

    private static final String TOPIC = "guarded";
    private static final int MESSAGE_MAX_BYTES = 64 * 1024;
    private static final short PRODUCE_VERSION = 9;

    @TempDir
    static Path dataDir;

    private static InProcessStratus stratus;

    @BeforeAll
    static void startServer() throws Exception {
        stratus = InProcessStratus.start(dataDir, Map.of(
                "auto.create.topics.enable", "false",
                "message.max.bytes", String.valueOf(MESSAGE_MAX_BYTES)));
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stopServer() {
        if (stratus != null) {
            stratus.close();
        }
    }

    @Test
    void produceToAMissingTopicWithAutoCreateOffIsUnknownTopicOrPartition() throws Exception {
        try (RawKafkaConnection connection = new RawKafkaConnection(stratus.port())) {
            Errors error = produceError(connection, "no-such-topic", records(1, 100));
            assertThat(error).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get()).doesNotContain("no-such-topic");
        }
        assertServerStillServes();
    }

    @Test
    void aBatchLargerThanMessageMaxBytesIsMessageTooLarge() throws Exception {
        long before = endOffset();
        try (RawKafkaConnection connection = new RawKafkaConnection(stratus.port())) {
            Errors error = produceError(connection, TOPIC, records(1, MESSAGE_MAX_BYTES + 1));
            assertThat(error).isEqualTo(Errors.MESSAGE_TOO_LARGE);
        }
        assertThat(endOffset()).isEqualTo(before);
        assertServerStillServes();
    }

    @Test
    void aBatchWithAWrongCrcIsCorruptMessage() throws Exception {
        long before = endOffset();
        MemoryRecords records = records(3, 100);
        ByteBuffer buffer = records.buffer();
        int lastByte = buffer.limit() - 1;
        buffer.put(lastByte, (byte) (buffer.get(lastByte) ^ 0x5A));
        try (RawKafkaConnection connection = new RawKafkaConnection(stratus.port())) {
            assertThat(produceError(connection, TOPIC, records)).isEqualTo(Errors.CORRUPT_MESSAGE);
        }
        assertThat(endOffset()).isEqualTo(before);
        assertServerStillServes();
    }

    @Test
    void anApiThatIsNotImplementedGetsAnErrorAndTheConnectionStaysUsable() throws Exception {
        try (RawKafkaConnection connection = new RawKafkaConnection(stratus.port())) {
            // ACLs arrive with security; until then DescribeAcls is an API Kafka has and Stratus does not serve.
            short version = 3;
            DescribeAclsRequest describeAcls = new DescribeAclsRequest.Builder(AclBindingFilter.ANY).build(version);
            AbstractResponse response = connection.send(describeAcls, version);
            assertThat(response.errorCounts()).containsOnlyKeys(Errors.UNSUPPORTED_VERSION);

            ApiVersionsResponse versions = apiVersions(connection);
            assertThat(versions.data().errorCode()).isZero();
        }
    }

    @Test
    void anUnknownApiKeyClosesThatConnectionOnly() throws Exception {
        try (RawKafkaConnection connection = new RawKafkaConnection(stratus.port())) {
            ByteBuffer header = ByteBuffer.allocate(10);
            header.putShort((short) 31_999).putShort((short) 0).putInt(1).putShort((short) -1).flip();
            connection.writeFrame(header);
            assertThat(connection.closedByServer()).isTrue();
        }
        assertServerStillServes();
    }

    @Test
    void garbageBytesAsAFrameCloseTheConnection() throws Exception {
        try (RawKafkaConnection connection = new RawKafkaConnection(stratus.port())) {
            connection.writeFrame(ByteBuffer.wrap("this is not a kafka request".getBytes(StandardCharsets.UTF_8)));
            assertThat(connection.closedByServer()).isTrue();
        }
        assertServerStillServes();
    }

    @Test
    void aFrameAnnouncingTwoGibibytesClosesTheConnectionWithoutAllocating() throws Exception {
        try (RawKafkaConnection connection = new RawKafkaConnection(stratus.port())) {
            connection.writeRaw(ByteBuffer.allocate(4).putInt(0, Integer.MAX_VALUE));
            assertThat(connection.closedByServer()).isTrue();
        }
        assertServerStillServes();
    }

    private static Errors produceError(RawKafkaConnection connection, String topic, MemoryRecords records) throws Exception {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
        data.topicData().add(new ProduceRequestData.TopicProduceData().setName(topic)
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records))));
        ProduceRequest request = new ProduceRequest.Builder(PRODUCE_VERSION, PRODUCE_VERSION, data).build(PRODUCE_VERSION);
        ProduceResponse response = (ProduceResponse) connection.send(request, PRODUCE_VERSION);
        return Errors.forCode(response.data().responses().iterator().next().partitionResponses().get(0).errorCode());
    }

    private static MemoryRecords records(int count, int valueBytes) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(System.currentTimeMillis(), null, new byte[valueBytes]);
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    private static ApiVersionsResponse apiVersions(RawKafkaConnection connection) throws Exception {
        short version = ApiKeys.API_VERSIONS.latestVersion();
        ApiVersionsRequest request = new ApiVersionsRequest.Builder(new ApiVersionsRequestData()
                .setClientSoftwareName("raw").setClientSoftwareVersion("1"), version, version).build(version);
        return (ApiVersionsResponse) connection.send(request, version);
    }

    /** A fresh connection gets a correct answer. */
    private static void assertServerStillServes() throws Exception {
        try (RawKafkaConnection other = new RawKafkaConnection(stratus.port())) {
            assertThat(apiVersions(other).data().errorCode()).isZero();
        }
    }

    private static long endOffset() throws Exception {
        try (Admin admin = admin()) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stratus.bootstrapServers()));
    }
}
