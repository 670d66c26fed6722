package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.broker.testing.RawKafkaClient;
import dev.stratus.broker.testing.Requests;
import dev.stratus.broker.testing.TestBroker;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import dev.stratus.broker.api.SupportedApis;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.DescribeAclsResponse;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProtocolRobustnessTest {

    private static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(config -> config.withSocketRequestMaxBytes(1024 * 1024));
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    @Test
    void apiVersionsAdvertisesExactlyTheImplementedApisWithKafka4Floors() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            ApiVersionsResponse response = client.roundTrip(new ApiVersionsRequest.Builder().build((short) 4));
            assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(response.data().apiKeys()).extracting(ApiVersionsResponseData.ApiVersion::apiKey)
                    .containsExactlyInAnyOrderElementsOf(SupportedApis.stratus().ranges().keySet().stream()
                            .map(key -> key.id).toList());
            assertThat(response.data().apiKeys()).extracting(ApiVersionsResponseData.ApiVersion::apiKey)
                    .contains(ApiKeys.PRODUCE.id, ApiKeys.FETCH.id, ApiKeys.LIST_OFFSETS.id, ApiKeys.METADATA.id,
                            ApiKeys.API_VERSIONS.id, ApiKeys.CREATE_TOPICS.id, ApiKeys.DELETE_TOPICS.id,
                            ApiKeys.INIT_PRODUCER_ID.id, ApiKeys.DESCRIBE_CONFIGS.id, ApiKeys.DELETE_RECORDS.id);
            for (ApiVersionsResponseData.ApiVersion api : response.data().apiKeys()) {
                assertThat(api.minVersion()).as(ApiKeys.forId(api.apiKey()).name)
                        .isGreaterThanOrEqualTo(ApiKeys.forId(api.apiKey()).oldestVersion());
            }
            ApiVersionsResponseData.ApiVersion produce = response.data().apiKeys().find(ApiKeys.PRODUCE.id);
            assertThat(produce.minVersion()).isEqualTo((short) 3);
            ApiVersionsResponseData.ApiVersion fetch = response.data().apiKeys().find(ApiKeys.FETCH.id);
            assertThat(fetch.minVersion()).isEqualTo((short) 4);
        }
    }

    @Test
    void apiVersionsAtAnUnknownVersionIsAnsweredAtVersionZeroWithUnsupportedVersion() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            // Header v2 (flexible) for ApiVersions v3+: key, version, correlation id, client id, no tags.
            ByteBuffer frame = ByteBuffer.allocate(64);
            frame.putShort(ApiKeys.API_VERSIONS.id).putShort((short) 99).putInt(7);
            frame.putShort((short) 4).put("test".getBytes(StandardCharsets.UTF_8)).put((byte) 0);
            frame.put(new byte[] {1, 1, 0}); // a body we don't understand
            frame.flip();
            client.sendBytes(framed(frame));

            ByteBuffer response = ByteBuffer.wrap(client.readFrame());
            ResponseHeaderData header = new ResponseHeaderData(new ByteBufferAccessor(response), (short) 0);
            assertThat(header.correlationId()).isEqualTo(7);
            ApiVersionsResponseData body = new ApiVersionsResponseData(new ByteBufferAccessor(response), (short) 0);
            assertThat(body.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(body.apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion()).isEqualTo((short) 4);
        }
    }

    @Test
    void apiKnownToKafkaButNotImplementedGetsUnsupportedVersionAndTheConnectionStaysUsable() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            DescribeAclsResponse response = client.roundTrip(new DescribeAclsRequest.Builder(AclBindingFilter.ANY)
                    .build((short) 3));
            assertThat(response.error().error()).isEqualTo(Errors.UNSUPPORTED_VERSION);

            ApiVersionsResponse after = client.roundTrip(new ApiVersionsRequest.Builder().build((short) 3));
            assertThat(after.data().errorCode()).isEqualTo(Errors.NONE.code());
        }
    }

    @Test
    void unknownApiKeyClosesTheConnectionAndOtherConnectionsAreUnaffected() throws Exception {
        try (RawKafkaClient bystander = new RawKafkaClient(broker.port);
             RawKafkaClient offender = new RawKafkaClient(broker.port)) {
            ByteBuffer frame = ByteBuffer.allocate(10).putShort((short) 4242).putShort((short) 0).putInt(1).putShort((short) -1);
            frame.flip();
            offender.sendBytes(framed(frame));
            assertThat(offender.closedByServer()).isTrue();
            assertServes(bystander);
        }
    }

    @Test
    void garbageFrameClosesTheConnectionAndTheServerKeepsServing() throws Exception {
        try (RawKafkaClient offender = new RawKafkaClient(broker.port)) {
            offender.sendBytes(framed(ByteBuffer.wrap("this is not a kafka request".getBytes(StandardCharsets.US_ASCII))));
            assertThat(offender.closedByServer()).isTrue();
        }
        try (RawKafkaClient offender = new RawKafkaClient(broker.port)) {
            offender.sendBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(offender.closedByServer()).isTrue();
        }
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            assertServes(client);
        }
    }

    @Test
    void frameAnnouncingTwoGibibytesClosesTheConnectionWithoutAllocating() throws Exception {
        try (RawKafkaClient offender = new RawKafkaClient(broker.port)) {
            offender.sendBytes(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 18, 0, 3});
            assertThat(offender.closedByServer()).isTrue();
        }
        try (RawKafkaClient offender = new RawKafkaClient(broker.port)) {
            offender.sendBytes(new byte[] {(byte) 0x80, 0, 0, 0}); // negative size
            assertThat(offender.closedByServer()).isTrue();
        }
        try (RawKafkaClient offender = new RawKafkaClient(broker.port)) {
            offender.sendBytes(ByteBuffer.allocate(4).putInt(1024 * 1024 + 1).array()); // above socket.request.max.bytes
            assertThat(offender.closedByServer()).isTrue();
        }
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            assertServes(client);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInRequestOrderEvenWhenALaterOneFinishesFirst() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(broker.port)) {
            client.roundTrip(Requests.createTopic("pipelined", 1));
            // A long-polling fetch on an empty partition finishes after the ApiVersions sent behind it.
            RequestHeader fetch = client.send(Requests.fetch("pipelined", 0, 0, 1, 700));
            RequestHeader versions = client.send(new ApiVersionsRequest.Builder().build((short) 3));
            long start = System.nanoTime();
            FetchResponse fetchResponse = client.receive(fetch);
            ApiVersionsResponse versionsResponse = client.receive(versions);
            assertThat(fetchResponse.error()).isEqualTo(Errors.NONE);
            assertThat(versionsResponse.data().errorCode()).isEqualTo(Errors.NONE.code());
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(400);
        }
    }

    private static void assertServes(RawKafkaClient client) throws IOException {
        ApiVersionsResponse response = client.roundTrip(new ApiVersionsRequest(new ApiVersionsRequestData(), (short) 2));
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
    }

    private static byte[] framed(ByteBuffer body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(body.remaining());
        byte[] content = new byte[body.remaining()];
        body.get(content);
        out.write(content);
        return bytes.toByteArray();
    }
}
