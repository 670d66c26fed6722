package dev.stratus.broker.api;

import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestContext;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.PartitionLeader;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;

/**
 * DescribeLogDirs: one log directory (named by {@code log.dirs}) holding every partition led
 * here, each with the bytes it retains from its log start (the sum of its batches as the
 * partition's batch index knows them, whether in the WAL or in object storage) and an offset
 * lag of 0. Total and usable bytes are -1: object storage has no fixed capacity. Topics or
 * partitions asked for but not led here are left out, as Kafka does.
 *
 * <p>Stateless; runs on event loops, sizes are read on the partitions' agents.
 */
public final class DescribeLogDirsHandler implements RequestHandler {

    private final String logDir;
    private final PartitionRegistry registry;

    public DescribeLogDirsHandler(String logDir, PartitionRegistry registry) {
        this.logDir = logDir;
        this.registry = registry;
    }

    @Override
    public CompletableFuture<Reply> handle(RequestContext context) {
        DescribeLogDirsRequestData request = ((DescribeLogDirsRequest) context.request()).data();
        short version = context.apiVersion();
        Map<TopicMetadata, List<Integer>> wanted = new LinkedHashMap<>();
        if (request.topics() == null) {
            registry.image().topics().forEach(t -> wanted.put(t, t.partitions().stream().map(PartitionMetadata::partition).toList()));
        } else {
            for (DescribeLogDirsRequestData.DescribableLogDirTopic topic : request.topics()) {
                TopicMetadata known = registry.image().topic(topic.topic());
                if (known != null) {
                    wanted.put(known, topic.partitions());
                }
            }
        }
        DescribeLogDirsResponseData.DescribeLogDirsResult dir = new DescribeLogDirsResponseData.DescribeLogDirsResult()
                .setErrorCode(Errors.NONE.code())
                .setLogDir(logDir)
                .setTotalBytes(-1L)
                .setUsableBytes(-1L);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        wanted.forEach((topic, partitions) -> {
            DescribeLogDirsResponseData.DescribeLogDirsTopic topicResult =
                    new DescribeLogDirsResponseData.DescribeLogDirsTopic().setName(topic.name());
            for (int partition : partitions) {
                PartitionLeader leader = registry.leader(topic.topicId(), partition);
                if (leader == null) {
                    continue;
                }
                DescribeLogDirsResponseData.DescribeLogDirsPartition partitionResult =
                        new DescribeLogDirsResponseData.DescribeLogDirsPartition()
                                .setPartitionIndex(partition)
                                .setOffsetLag(0L)
                                .setIsFutureKey(false);
                topicResult.partitions().add(partitionResult);
                pending.add(leader.sizeBytes().thenAccept(partitionResult::setPartitionSize));
            }
            if (!topicResult.partitions().isEmpty()) {
                dir.topics().add(topicResult);
            }
        });
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            DescribeLogDirsResponseData response = new DescribeLogDirsResponseData().setThrottleTimeMs(0);
            if (version >= 3) {
                response.setErrorCode(Errors.NONE.code());
            }
            response.results().add(dir);
            return Reply.respond(ApiKeys.DESCRIBE_LOG_DIRS, version, response);
        });
    }
}
