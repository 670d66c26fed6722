package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.broker.policy.TopicPolicies;
import dev.stratus.metadata.TopicController;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.TopicNames;
import dev.stratus.metadata.config.TopicConfigs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsRequest;

/**
 * CreateTopics. Per topic, in Kafka's order of checks: a name given twice in one request is
 * INVALID_REQUEST; an illegal name INVALID_TOPIC_EXCEPTION; an existing topic
 * TOPIC_ALREADY_EXISTS; partitions 0 or below -1 INVALID_PARTITIONS; replication factor 0 or
 * below -1 INVALID_REPLICATION_FACTOR. {@code -1} partitions means {@code num.partitions}; a
 * valid replication factor is accepted and ignored (storage replicates). Manual replica
 * assignments give the partition count; the replicas named are ignored. {@code validateOnly}
 * checks without creating. An unknown config name or a bad value is INVALID_CONFIG and creates
 * nothing; a topic the operator's create-topic policy refuses is POLICY_VIOLATION.
 *
 * <p>Stateless; runs on event loops, continues on the controller's thread.
 */
public final class CreateTopicsHandler implements RequestHandler {

    private final int defaultPartitions;
    private final TopicController controller;
    private final PartitionRegistry registry;
    private final TopicPolicies policies;

    public CreateTopicsHandler(int defaultPartitions, TopicController controller, PartitionRegistry registry,
                               TopicPolicies policies) {
        this.defaultPartitions = defaultPartitions;
        this.controller = controller;
        this.registry = registry;
        this.policies = policies;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        CreateTopicsRequestData request = ((CreateTopicsRequest) context.request()).data();
        short version = context.apiVersion();
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        for (CreateTopicsRequestData.CreatableTopic topic : request.topics()) {
            if (!seen.add(topic.name())) {
                duplicated.add(topic.name());
            }
        }
        Map<String, CompletableFuture<CreateTopicsResponseData.CreatableTopicResult>> results = new LinkedHashMap<>();
        for (CreateTopicsRequestData.CreatableTopic topic : request.topics()) {
            String name = topic.name();
            if (duplicated.contains(name)) {
                results.put(name, CompletableFuture.completedFuture(
                        error(name, Errors.INVALID_REQUEST, "Topic " + name + " appears more than once in the request")));
            } else {
                results.put(name, create(topic, request.validateOnly()));
            }
        }
        List<CompletableFuture<CreateTopicsResponseData.CreatableTopicResult>> all = new ArrayList<>(results.values());
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            CreateTopicsResponseData response = new CreateTopicsResponseData().setThrottleTimeMs(0);
            for (CompletableFuture<CreateTopicsResponseData.CreatableTopicResult> result : all) {
                response.topics().add(result.join());
            }
            return Reply.respond(ApiKeys.CREATE_TOPICS, version, response);
        });
    }

    private CompletableFuture<CreateTopicsResponseData.CreatableTopicResult> create(
            CreateTopicsRequestData.CreatableTopic topic, boolean validateOnly) {
        String name = topic.name();
        String invalidName = TopicNames.invalidReason(name);
        if (invalidName != null) {
            return done(error(name, Errors.INVALID_TOPIC_EXCEPTION, invalidName));
        }
        if (registry.image().topic(name) != null) {
            return done(error(name, Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists."));
        }
        boolean manual = !topic.assignments().isEmpty();
        if (manual && (topic.numPartitions() != -1 || topic.replicationFactor() != -1)) {
            return done(error(name, Errors.INVALID_REQUEST,
                    "Both numPartitions or replicationFactor and replicasAssignments were set."));
        }
        int partitions = manual ? topic.assignments().size()
                : topic.numPartitions() == -1 ? defaultPartitions : topic.numPartitions();
        if (partitions <= 0) {
            return done(error(name, Errors.INVALID_PARTITIONS, "Number of partitions must be larger than 0."));
        }
        short replicationFactor = topic.replicationFactor();
        if (!manual && replicationFactor != -1 && replicationFactor <= 0) {
            return done(error(name, Errors.INVALID_REPLICATION_FACTOR, "Replication factor must be larger than 0, or -1 to use the default value."));
        }
        Map<String, String> configs = new HashMap<>();
        for (CreateTopicsRequestData.CreatableTopicConfig config : topic.configs()) {
            configs.put(config.name(), config.value());
        }
        String invalidConfig = TopicConfigs.problem(configs);
        if (invalidConfig != null) {
            return done(error(name, Errors.INVALID_CONFIG, invalidConfig));
        }
        String refused = manual
                ? policies.createTopicViolation(name, null, null, assignments(topic), configs)
                : policies.createTopicViolation(name, partitions, replicationFactor == -1 ? 1 : replicationFactor, null, configs);
        if (refused != null) {
            return done(error(name, Errors.POLICY_VIOLATION, refused));
        }
        if (validateOnly) {
            return done(success(name, Uuid.ZERO_UUID, partitions, configs));
        }
        return controller.createTopic(name, partitions, configs).handle((created, failure) -> failure == null
                ? success(created)
                : error(name, MetadataErrors.toKafka(failure), MetadataErrors.message(failure)));
    }

    private static Map<Integer, List<Integer>> assignments(CreateTopicsRequestData.CreatableTopic topic) {
        Map<Integer, List<Integer>> assignments = new HashMap<>();
        topic.assignments().forEach(a -> assignments.put(a.partitionIndex(), List.copyOf(a.brokerIds())));
        return assignments;
    }

    private static CreateTopicsResponseData.CreatableTopicResult success(TopicMetadata topic) {
        return success(topic.name(), TopicIds.toKafka(topic.topicId()), topic.partitions().size(), topic.configs());
    }

    private static CreateTopicsResponseData.CreatableTopicResult success(String name, Uuid id, int partitions,
                                                                         Map<String, String> configs) {
        CreateTopicsResponseData.CreatableTopicResult result = new CreateTopicsResponseData.CreatableTopicResult()
                .setName(name)
                .setTopicId(id)
                .setErrorCode(Errors.NONE.code())
                .setNumPartitions(partitions)
                .setReplicationFactor((short) 1);
        List<CreateTopicsResponseData.CreatableTopicConfigs> described = new ArrayList<>();
        configs.forEach((key, value) -> described.add(new CreateTopicsResponseData.CreatableTopicConfigs()
                .setName(key)
                .setValue(value)
                .setReadOnly(false)
                .setIsSensitive(false)
                .setConfigSource((byte) 1)));
        return result.setConfigs(described);
    }

    private static CreateTopicsResponseData.CreatableTopicResult error(String name, Errors error, String message) {
        return new CreateTopicsResponseData.CreatableTopicResult()
                .setName(name)
                .setErrorCode(error.code())
                .setErrorMessage(message)
                .setNumPartitions(-1)
                .setReplicationFactor((short) -1)
                .setConfigs(null);
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
