package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.broker.policy.TopicPolicies;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicController;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.TopicNames;
import dev.stratus.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;

/**
 * Metadata: this node as the only broker (and controller), the requested topics with their ids
 * and partitions. Missing topics are created when the request allows it and
 * {@code auto.create.topics.enable} is on and the create-topic policy allows it (else
 * POLICY_VIOLATION for that topic); the response waits for the creation so that clients see the
 * new topic's partitions at once.
 *
 * <p>Stateless; runs on event loops, continues on the controller's thread.
 */
public final class MetadataHandler implements RequestHandler {

    private final int nodeId;
    private final String clusterId;
    private final String advertisedHost;
    private final IntSupplier advertisedPort;
    private final String rack;
    private final boolean autoCreateTopics;
    private final int defaultPartitions;
    private final TopicController controller;
    private final PartitionRegistry registry;
    private final TopicPolicies policies;

    public MetadataHandler(int nodeId, String clusterId, String advertisedHost, IntSupplier advertisedPort, String rack,
                           boolean autoCreateTopics, int defaultPartitions, TopicController controller,
                           PartitionRegistry registry, TopicPolicies policies) {
        this.rack = rack;
        this.nodeId = nodeId;
        this.clusterId = clusterId;
        this.advertisedHost = advertisedHost;
        this.advertisedPort = advertisedPort;
        this.autoCreateTopics = autoCreateTopics;
        this.defaultPartitions = defaultPartitions;
        this.controller = controller;
        this.registry = registry;
        this.policies = policies;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        MetadataRequest request = (MetadataRequest) context.request();
        MetadataRequestData data = request.data();
        short version = context.apiVersion();
        MetadataImage image = registry.image();

        Map<String, Errors> creationErrors = new LinkedHashMap<>();
        List<CompletableFuture<Void>> creations = new ArrayList<>();
        if (!request.isAllTopics() && data.topics() != null) {
            boolean mayCreate = autoCreateTopics && data.allowAutoTopicCreation();
            for (MetadataRequestData.MetadataRequestTopic topic : data.topics()) {
                String name = topic.name();
                if (name == null || image.topic(name) != null || !mayCreate || TopicNames.invalidReason(name) != null) {
                    continue;
                }
                String refused = policies.createTopicViolation(name, defaultPartitions, (short) 1, null, Map.of());
                if (refused != null) {
                    synchronized (creationErrors) {
                        creationErrors.put(name, Errors.POLICY_VIOLATION);
                    }
                    continue;
                }
                creations.add(controller.createTopic(name, defaultPartitions, Map.of())
                        .handle((created, error) -> {
                            if (error != null) {
                                Errors code = MetadataErrors.toKafka(error);
                                if (code != Errors.TOPIC_ALREADY_EXISTS) {
                                    synchronized (creationErrors) {
                                        creationErrors.put(name, code == Errors.REQUEST_TIMED_OUT
                                                ? Errors.LEADER_NOT_AVAILABLE : code);
                                    }
                                }
                            }
                            return null;
                        }));
            }
        }
        if (creations.isEmpty()) {
            synchronized (creationErrors) {
                return CompletableFuture.completedFuture(respond(request, version, image, Map.copyOf(creationErrors)));
            }
        }
        return CompletableFuture.allOf(creations.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> {
                    synchronized (creationErrors) {
                        return respond(request, version, registry.image(), Map.copyOf(creationErrors));
                    }
                });
    }

    private Reply respond(MetadataRequest request, short version, MetadataImage image, Map<String, Errors> creationErrors) {
        MetadataResponseData response = new MetadataResponseData()
                .setThrottleTimeMs(0)
                .setClusterId(clusterId)
                .setControllerId(nodeId);
        for (LiveBrokers.Endpoint broker : LiveBrokers.of(image, nodeId, advertisedHost, advertisedPort.getAsInt(), rack)) {
            response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                    .setNodeId(broker.id())
                    .setHost(broker.host())
                    .setPort(broker.port())
                    .setRack(broker.rack()));
        }
        if (request.isAllTopics()) {
            for (TopicMetadata topic : image.topics()) {
                response.topics().add(describe(topic));
            }
        } else if (request.data().topics() != null) {
            for (MetadataRequestData.MetadataRequestTopic wanted : request.data().topics()) {
                response.topics().add(describe(wanted, image, creationErrors));
            }
        }
        return Reply.respond(ApiKeys.METADATA, version, response);
    }

    private MetadataResponseData.MetadataResponseTopic describe(MetadataRequestData.MetadataRequestTopic wanted,
                                                                MetadataImage image, Map<String, Errors> creationErrors) {
        String name = wanted.name();
        if (name == null) {
            Uuid id = wanted.topicId();
            TopicMetadata topic = id == null || Uuid.ZERO_UUID.equals(id) ? null : image.topic(TopicIds.fromKafka(id));
            if (topic == null) {
                return new MetadataResponseData.MetadataResponseTopic()
                        .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                        .setName(null)
                        .setTopicId(id == null ? Uuid.ZERO_UUID : id);
            }
            return describe(topic);
        }
        TopicMetadata topic = image.topic(name);
        if (topic != null) {
            return describe(topic);
        }
        Errors error = TopicNames.invalidReason(name) != null ? Errors.INVALID_TOPIC_EXCEPTION
                : creationErrors.getOrDefault(name, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        return new MetadataResponseData.MetadataResponseTopic()
                .setErrorCode(error.code())
                .setName(name)
                .setTopicId(Uuid.ZERO_UUID);
    }

    private MetadataResponseData.MetadataResponseTopic describe(TopicMetadata topic) {
        MetadataResponseData.MetadataResponseTopic described = new MetadataResponseData.MetadataResponseTopic()
                .setErrorCode(Errors.NONE.code())
                .setName(topic.name())
                .setTopicId(TopicIds.toKafka(topic.topicId()))
                .setIsInternal(TopicNames.isInternal(topic.name()));
        for (PartitionMetadata partition : topic.partitions()) {
            described.partitions().add(new MetadataResponseData.MetadataResponsePartition()
                    .setErrorCode(Errors.NONE.code())
                    .setPartitionIndex(partition.partition())
                    .setLeaderId(partition.leaderId())
                    .setLeaderEpoch(partition.leaderEpoch())
                    .setReplicaNodes(List.of(partition.leaderId()))
                    .setIsrNodes(List.of(partition.leaderId()))
                    .setOfflineReplicas(List.of()));
        }
        return described;
    }
}
