package dev.stratus.broker.api;

import dev.stratus.broker.BrokerConfig;
import dev.stratus.broker.config.ConfigDescriber;
import dev.stratus.broker.config.DescribedConfig;
import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.PartitionRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsRequest;

/**
 * DescribeConfigs for topics and this broker ({@link ConfigDescriber}): all configs, or the keys
 * asked for (unknown keys are left out, as Kafka does); synonyms and documentation only when
 * asked; types and documentation from v3. Broker loggers and other resource types get
 * INVALID_REQUEST; the empty broker name (cluster-wide dynamic defaults) has no configs.
 *
 * <p>Stateless; runs on event loops and reads the current metadata image.
 */
public final class DescribeConfigsHandler implements RequestHandler {

    private static final short FIRST_VERSION_WITH_TYPES = 3;

    private final BrokerConfig config;
    private final PartitionRegistry registry;

    public DescribeConfigsHandler(BrokerConfig config, PartitionRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        DescribeConfigsRequestData request = ((DescribeConfigsRequest) context.request()).data();
        short version = context.apiVersion();
        DescribeConfigsResponseData response = new DescribeConfigsResponseData().setThrottleTimeMs(0);
        for (DescribeConfigsRequestData.DescribeConfigsResource resource : request.resources()) {
            response.results().add(describe(resource, request.includeSynonyms(), request.includeDocumentation(), version));
        }
        return CompletableFuture.completedFuture(Reply.respond(ApiKeys.DESCRIBE_CONFIGS, version, response));
    }

    private DescribeConfigsResponseData.DescribeConfigsResult describe(DescribeConfigsRequestData.DescribeConfigsResource resource,
                                                                       boolean synonyms, boolean documentation, short version) {
        DescribeConfigsResponseData.DescribeConfigsResult result = new DescribeConfigsResponseData.DescribeConfigsResult()
                .setResourceType(resource.resourceType())
                .setResourceName(resource.resourceName());
        ConfigResources.Check check = ConfigResources.check(resource.resourceType(), resource.resourceName(), registry,
                config.nodeId());
        if (!check.ok()) {
            return result.setErrorCode(check.error().code()).setErrorMessage(check.message());
        }
        List<DescribedConfig> configs;
        if (ConfigResources.type(resource.resourceType()) == ConfigResource.Type.TOPIC) {
            configs = ConfigDescriber.topic(registry.image().topic(resource.resourceName()).configs(), registry.logDefaults());
        } else {
            configs = resource.resourceName().isEmpty() ? List.of() : ConfigDescriber.broker(config);
        }
        Set<String> wanted = resource.configurationKeys() == null ? null : new HashSet<>(resource.configurationKeys());
        for (DescribedConfig described : configs) {
            if (wanted != null && !wanted.contains(described.name())) {
                continue;
            }
            DescribeConfigsResponseData.DescribeConfigsResourceResult entry = new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                    .setName(described.name())
                    .setValue(described.value())
                    .setReadOnly(described.readOnly())
                    .setConfigSource(ConfigResources.source(described.source()))
                    .setIsSensitive(false);
            if (synonyms) {
                for (DescribedConfig.Synonym synonym : described.synonyms()) {
                    entry.synonyms().add(new DescribeConfigsResponseData.DescribeConfigsSynonym()
                            .setName(synonym.name())
                            .setValue(synonym.value())
                            .setSource(ConfigResources.source(synonym.source())));
                }
            }
            if (version >= FIRST_VERSION_WITH_TYPES) {
                entry.setConfigType(described.type().id());
                entry.setDocumentation(documentation ? described.documentation() : null);
            }
            result.configs().add(entry);
        }
        return result.setErrorCode(Errors.NONE.code());
    }
}
