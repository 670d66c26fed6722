package dev.stratus.metadata.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stratus.metadata.BrokerLoad;
import dev.stratus.metadata.BrokerRegistrationRequest;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.config.ConfigOp;
import dev.stratus.metadata.record.ProducerIdsRecord;
import dev.stratus.metadata.record.TopicRecord;
import dev.stratus.metadata.rpc.ControllerRequest.Envelope;
import dev.stratus.metadata.rpc.ControllerResponse.Batch;
import dev.stratus.metadata.rpc.ControllerResponse.ErrorKind;
import dev.stratus.storage.metadata.CommitRange;
import dev.stratus.storage.metadata.CommitRequest;
import dev.stratus.storage.metadata.NewObject;
import dev.stratus.storage.metadata.ObjectType;
import dev.stratus.storage.metadata.StreamMetadata.StreamState;
import dev.stratus.storage.metadata.StreamMetadata;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ControllerMessageCodecTest {

    private static final UUID TOPIC_ID = new UUID(0x1122334455667788L, 0x99AABBCCDDEEFF00L);
    private static final UUID INCARNATION = new UUID(0x0102030405060708L, 0x090A0B0C0D0E0F10L);

    /** Every request type at least once; booleans both ways and distinct numbers so a dropped or swapped field shows. */
    private static List<Envelope> everyRequest() {
        List<ControllerRequest> requests = List.of(
                new ControllerRequest.RegisterBroker(new BrokerRegistrationRequest(3, INCARNATION, "broker-3.local", 9092, "rack-b")),
                new ControllerRequest.RegisterBroker(new BrokerRegistrationRequest(4, INCARNATION, "broker-4", 9093, null)),
                new ControllerRequest.BrokerHeartbeat(3, 17, true, BrokerLoad.NONE),
                new ControllerRequest.BrokerHeartbeat(5, 19, false, new BrokerLoad(1_234, 5_678, List.of(
                        new BrokerLoad.PartitionLoad(TOPIC_ID, 0, 100, 200), new BrokerLoad.PartitionLoad(INCARNATION, 3, 7, 0)), 4_321)),
                new ControllerRequest.CreateTopic("orders", 6, Map.of("retention.ms", "60000", "cleanup.policy", "delete")),
                new ControllerRequest.CreateTopic("empty", 1, Map.of()),
                new ControllerRequest.AlterTopicConfigs("orders", List.of(
                        new ConfigOp(ConfigOp.Type.SET, "retention.ms", "1000"),
                        new ConfigOp(ConfigOp.Type.DELETE, "segment.bytes", null),
                        new ConfigOp(ConfigOp.Type.APPEND, "cleanup.policy", "compact"),
                        new ConfigOp(ConfigOp.Type.SUBTRACT, "cleanup.policy", "delete")), true, false),
                new ControllerRequest.AlterTopicConfigs("orders", List.of(), false, true),
                new ControllerRequest.CreatePartitions("orders", 12, true),
                new ControllerRequest.CreatePartitions("orders", 13, false),
                new ControllerRequest.DeleteTopic("orders"),
                new ControllerRequest.AllocateProducerIds(1000),
                new ControllerRequest.CreateStream(),
                new ControllerRequest.OpenStream(41, 7),
                new ControllerRequest.CloseStream(42, 8),
                new ControllerRequest.TrimStream(43, 9, 5_000_000_000L),
                new ControllerRequest.DeleteStream(44, 10),
                new ControllerRequest.PrepareObjects(25, 60_000),
                new ControllerRequest.CommitObjects(new CommitRequest(List.of(
                        new NewObject(100, ObjectType.STREAM_SET, 4096, List.of(
                                new CommitRange(41, 7, 0, 50), new CommitRange(42, 8, 10, 90))),
                        new NewObject(101, ObjectType.STREAM, 8192, List.of(new CommitRange(43, 9, 200, 300)))),
                        List.of(90L, 91L))),
                new ControllerRequest.CommitObjects(new CommitRequest(List.of(), List.of(92L))),
                new ControllerRequest.MarkOrphans(List.of(7L, 8L, Long.MAX_VALUE)),
                new ControllerRequest.ForgetObjects(List.of(9L, -1L)),
                new ControllerRequest.FetchMetadata(123_456, 500),
                new ControllerRequest.DescribeQuorum(),
                new ControllerRequest.ReassignPartition("orders", 3, 102),
                new ControllerRequest.ReassignPartition("orders", 4, -1),
                new ControllerRequest.CompletePartitionMove(TOPIC_ID, 3, 17),
                new ControllerRequest.DrainBroker());
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            envelopes.add(new Envelope(i % 2 == 0 ? 3 : -1, i % 2 == 0 ? 1_234_567_890_123L + i : -1, requests.get(i)));
        }
        return envelopes;
    }

    private static List<ControllerResponse> everyResponse() {
        List<ControllerResponse> responses = new ArrayList<>(List.of(
                new ControllerResponse.Done(-1, null),
                new ControllerResponse.Done(77, 5_000_000_000L),
                new ControllerResponse.Done(78, new TopicMetadata("orders", TOPIC_ID, List.of(
                        new PartitionMetadata("orders", 0, 41, 3, 2, 43, -1), new PartitionMetadata("orders", 1, 42, 4, 5, -1, 7)),
                        Map.of("retention.ms", "60000"))),
                new ControllerResponse.Done(79, new StreamMetadata(41, 7, 10, 90, StreamState.OPENED)),
                new ControllerResponse.Done(80, new StreamMetadata(42, 8, 11, 91, StreamState.CLOSED)),
                new ControllerResponse.Done(81, List.of(100L, 101L, 102L)),
                new ControllerResponse.Done(82, List.of()),
                new ControllerResponse.Batches(List.of(
                        new Batch(10, List.of(new ProducerIdsRecord(5), new TopicRecord("t", TOPIC_ID, Map.of("a", "b")))),
                        new Batch(11, List.of(new ProducerIdsRecord(6), new TopicRecord("u", INCARNATION, Map.of()))))),
                new ControllerResponse.Batches(List.of()),
                new ControllerResponse.Snapshot(12, List.of(new TopicRecord("t", TOPIC_ID, Map.of("a", "b")), new ProducerIdsRecord(7))),
                new ControllerResponse.Quorum(2, 9, 1_000, List.of(new ControllerResponse.Replica(1, 990, 5_000, 4_000),
                        new ControllerResponse.Replica(2, 1_000, 6_000, 6_000)), List.of(new ControllerResponse.Replica(101, -1, 7_000, -1)))));
        int leader = 1;
        for (ErrorKind kind : ErrorKind.values()) {
            responses.add(new ControllerResponse.Failed(kind, "CODE_" + kind, "refused as " + kind, leader++));
        }
        responses.add(new ControllerResponse.Failed(ErrorKind.NOT_CONTROLLER, null, null, -1));
        return responses;
    }

    private static List<byte[]> everyEncoding() {
        List<byte[]> encodings = new ArrayList<>();
        everyRequest().forEach(e -> encodings.add(ControllerMessageCodec.encodeRequest(e)));
        everyResponse().forEach(r -> encodings.add(ControllerMessageCodec.encodeResponse(r)));
        return encodings;
    }

    private static void decodeEither(byte[] bytes, boolean request) {
        if (request) {
            ControllerMessageCodec.decodeRequest(bytes);
        } else {
            ControllerMessageCodec.decodeResponse(bytes);
        }
    }

    @Test
    void everyRequestTypeSurvivesARoundTrip() {
        Set<Class<?>> covered = new HashSet<>();
        for (Envelope envelope : everyRequest()) {
            assertThat(ControllerMessageCodec.decodeRequest(ControllerMessageCodec.encodeRequest(envelope))).isEqualTo(envelope);
            covered.add(envelope.request().getClass());
        }
        assertThat(covered).containsExactlyInAnyOrder(ControllerRequest.class.getPermittedSubclasses());
    }

    @Test
    void everyResponseShapeSurvivesARoundTrip() {
        Set<Class<?>> covered = new HashSet<>();
        for (ControllerResponse response : everyResponse()) {
            assertThat(ControllerMessageCodec.decodeResponse(ControllerMessageCodec.encodeResponse(response))).isEqualTo(response);
            covered.add(response.getClass());
        }
        assertThat(covered).containsExactlyInAnyOrder(ControllerResponse.class.getPermittedSubclasses());
    }

    @Test
    void aTruncatedMessageIsRefusedWithIllegalArgument() {
        for (Envelope envelope : everyRequest()) {
            byte[] bytes = ControllerMessageCodec.encodeRequest(envelope);
            for (int length = 0; length < bytes.length; length++) {
                byte[] truncated = Arrays.copyOf(bytes, length);
                assertThatThrownBy(() -> ControllerMessageCodec.decodeRequest(truncated))
                        .as("%s cut to %d of %d bytes", envelope.request(), length, bytes.length)
                        .isExactlyInstanceOf(IllegalArgumentException.class);
            }
        }
        for (ControllerResponse response : everyResponse()) {
            byte[] bytes = ControllerMessageCodec.encodeResponse(response);
            for (int length = 0; length < bytes.length; length++) {
                byte[] truncated = Arrays.copyOf(bytes, length);
                assertThatThrownBy(() -> ControllerMessageCodec.decodeResponse(truncated))
                        .as("%s cut to %d of %d bytes", response, length, bytes.length)
                        .isExactlyInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void bytesAfterTheEndOfAMessageAreRefused() {
        byte[] request = ControllerMessageCodec.encodeRequest(everyRequest().get(0));
        byte[] response = ControllerMessageCodec.encodeResponse(everyResponse().get(0));

        assertThatThrownBy(() -> ControllerMessageCodec.decodeRequest(Arrays.copyOf(request, request.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after the end");
        assertThatThrownBy(() -> ControllerMessageCodec.decodeResponse(Arrays.copyOf(response, response.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after the end");
    }

    @Test
    void anUnknownVersionOrTypeIsRefused() {
        byte[] request = ControllerMessageCodec.encodeRequest(new Envelope(3, 17, new ControllerRequest.DeleteTopic("orders")));
        byte[] done = ControllerMessageCodec.encodeResponse(new ControllerResponse.Done(5, 6L));
        byte[] failed = ControllerMessageCodec.encodeResponse(new ControllerResponse.Failed(ErrorKind.STREAM, "c", "m", 1));
        byte[] stream = ControllerMessageCodec.encodeResponse(
                new ControllerResponse.Done(5, new StreamMetadata(1, 2, 3, 4, StreamState.OPENED)));
        byte[] alter = ControllerMessageCodec.encodeRequest(new Envelope(3, 17,
                new ControllerRequest.AlterTopicConfigs("t", List.of(ConfigOp.set("k", "v")), false, false)));
        byte[] commit = ControllerMessageCodec.encodeRequest(new Envelope(3, 17, new ControllerRequest.CommitObjects(
                CommitRequest.upload(List.of(new NewObject(1, ObjectType.STREAM, 2, List.of(new CommitRange(1, 2, 3, 4))))))));

        assertRefused(with(request, 0, 1), true, "unknown message version 1");
        assertRefused(with(done, 0, -1), false, "unknown message version -1");
        assertRefused(with(request, 13, 99), true, "unknown request type 99");
        assertRefused(with(request, 13, 0), true, "unknown request type 0");
        assertRefused(with(done, 1, 99), false, "unknown response type 99");
        assertRefused(with(done, 10, 9), false, "unknown Done value type 9");
        assertRefused(with(failed, 2, 4), false, "unknown error kind 4");
        assertRefused(with(stream, stream.length - 1, 2), false, "unknown stream state 2");
        // version, broker id, epoch, tag, name "t" (2 + 1), op count: the op type follows
        assertRefused(with(alter, 1 + 4 + 8 + 1 + 3 + 4, 7), true, "unknown config op type 7");
        // version, broker id, epoch, tag, object count, object id: the object type follows
        assertRefused(with(commit, 1 + 4 + 8 + 1 + 4 + 8, 5), true, "unknown object type 5");
    }

    @Test
    void aCorruptCountDoesNotAllocateHugeArrays() {
        for (int count : new int[] {Integer.MAX_VALUE, 1 << 28, -1, Integer.MIN_VALUE}) {
            byte[] orphans = ByteBuffer.allocate(1 + 4 + 8 + 1 + 4 + 8)
                    .put((byte) 0).putInt(3).putLong(17).put((byte) 15).putInt(count).putLong(1).array();
            assertRefused(orphans, true, "id count " + count);

            byte[] topic = ByteBuffer.allocate(1 + 4 + 8 + 1 + 3 + 4 + 4 + 4)
                    .put((byte) 0).putInt(3).putLong(17).put((byte) 3).putShort((short) 1).put((byte) 't').putInt(1)
                    .putInt(count).putInt(0).array();
            assertRefused(topic, true, "config count " + count);

            byte[] snapshot = ByteBuffer.allocate(1 + 1 + 8 + 4 + 4)
                    .put((byte) 0).put((byte) 4).putLong(12).putInt(count).putInt(0).array();
            assertRefused(snapshot, false, "record count " + count);

            byte[] batches = ByteBuffer.allocate(1 + 1 + 4 + 12)
                    .put((byte) 0).put((byte) 3).putInt(count).array();
            assertRefused(batches, false, "batch count " + count);

            byte[] recordLength = ByteBuffer.allocate(1 + 1 + 8 + 4 + 4 + 2)
                    .put((byte) 0).put((byte) 4).putLong(12).putInt(1).putInt(count).array();
            assertRefused(recordLength, false, "record length " + count);
        }
    }

    @Test
    void aCorruptByteIsEitherReadOrRefusedWithIllegalArgument() {
        // Responses with metadata records inside are left out: their bytes are MetadataRecordCodec's to check.
        List<byte[]> requests = everyRequest().stream().map(ControllerMessageCodec::encodeRequest).toList();
        List<byte[]> responses = everyResponse().stream()
                .filter(r -> !(r instanceof ControllerResponse.Batches || r instanceof ControllerResponse.Snapshot))
                .map(ControllerMessageCodec::encodeResponse).toList();
        for (byte value : new byte[] {0, 1, 2, 0x7F, (byte) 0x80, (byte) 0xFF}) {
            for (byte[] bytes : requests) {
                assertEveryCorruptionReadOrRefused(bytes, value, true);
            }
            for (byte[] bytes : responses) {
                assertEveryCorruptionReadOrRefused(bytes, value, false);
            }
        }
    }

    @Test
    void aValueWithNoWireFormIsRefusedWhenEncoding() {
        assertThatThrownBy(() -> ControllerMessageCodec.encodeResponse(new ControllerResponse.Done(1, List.of("x"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ControllerMessageCodec.encodeRequest(new Envelope(1, 1, null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ControllerMessageCodec.encodeRequest(new Envelope(1, 1, new ControllerRequest.DeleteTopic(null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic name");
        assertThatThrownBy(() -> ControllerMessageCodec.encodeResponse(new ControllerResponse.Failed(null, "c", "m", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("error kind");
    }

    @Test
    void theEncodingIsTheDocumentedLayout() {
        byte[] bytes = ControllerMessageCodec.encodeRequest(new Envelope(3, 17, new ControllerRequest.OpenStream(41, 7)));

        assertThat(bytes).containsExactly(ByteBuffer.allocate(1 + 4 + 8 + 1 + 8 + 8)
                .put((byte) 0).putInt(3).putLong(17).put((byte) 9).putLong(41).putLong(7).array());
        assertThat(everyEncoding()).allSatisfy(encoding -> assertThat(encoding[0]).isZero());
    }

    private static void assertEveryCorruptionReadOrRefused(byte[] bytes, byte value, boolean request) {
        for (int i = 0; i < bytes.length; i++) {
            byte[] corrupt = with(bytes, i, value);
            try {
                decodeEither(corrupt, request);
            } catch (IllegalArgumentException expected) {
                // refused, as it should be when the byte broke the message
            } catch (RuntimeException | Error e) {
                throw new AssertionError("byte " + i + " set to " + value + " escaped as " + e, e);
            }
        }
    }

    private static void assertRefused(byte[] bytes, boolean request, String message) {
        assertThatThrownBy(() -> decodeEither(bytes, request))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private static byte[] with(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }
}
