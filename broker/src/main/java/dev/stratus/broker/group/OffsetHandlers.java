package dev.stratus.broker.group;

import dev.stratus.broker.api.TopicIds;
import dev.stratus.broker.group.GroupMessages.CommitRequest;
import dev.stratus.broker.group.GroupMessages.CommittedOffset;
import dev.stratus.broker.network.Reply;
import dev.stratus.broker.network.RequestHandler;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetFetchRequest;

/**
 * Handlers of OffsetCommit (v10 names topics by id), OffsetFetch (one group up to v7, batched
 * groups from v8, topic ids from v10) and OffsetDelete. Topic ids are resolved against the
 * current metadata image; offsets are stored by topic name.
 *
 * <p>Stateless; runs on event loops, completes on group agent threads.
 */
final class OffsetHandlers {

    private final GroupCoordinator coordinator;
    private final Supplier<MetadataImage> image;

    OffsetHandlers(GroupCoordinator coordinator, Supplier<MetadataImage> image) {
        this.coordinator = coordinator;
        this.image = image;
    }

    RequestHandler offsetCommit() {
        return context -> {
            OffsetCommitRequestData request = ((OffsetCommitRequest) context.request()).data();
            short version = context.apiVersion();
            MetadataImage current = image.get();
            OffsetCommitResponseData response = new OffsetCommitResponseData().setThrottleTimeMs(0);
            Map<TopicPartition, CommittedOffset> offsets = new LinkedHashMap<>();
            Map<TopicPartition, Uuid> ids = new LinkedHashMap<>();
            for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
                String name = version >= 10 ? nameOf(current, topic.topicId()) : topic.name();
                if (name == null) {
                    OffsetCommitResponseData.OffsetCommitResponseTopic unknown =
                            new OffsetCommitResponseData.OffsetCommitResponseTopic().setTopicId(topic.topicId());
                    topic.partitions().forEach(p -> unknown.partitions().add(
                            new OffsetCommitResponseData.OffsetCommitResponsePartition()
                                    .setPartitionIndex(p.partitionIndex()).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())));
                    response.topics().add(unknown);
                    continue;
                }
                for (OffsetCommitRequestData.OffsetCommitRequestPartition p : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(name, p.partitionIndex());
                    offsets.put(tp, new CommittedOffset(p.committedOffset(),
                            version >= 6 ? p.committedLeaderEpoch() : -1, p.committedMetadata(), 0L));
                    ids.put(tp, topic.topicId());
                }
            }
            CommitRequest commit = new CommitRequest(request.groupId(), request.generationIdOrMemberEpoch(),
                    request.memberId(), version >= 7 ? request.groupInstanceId() : null, offsets);
            return coordinator.commit(commit).thenApply(results -> {
                Map<String, OffsetCommitResponseData.OffsetCommitResponseTopic> byTopic = new LinkedHashMap<>();
                for (Map.Entry<TopicPartition, Errors> entry : results.entrySet()) {
                    TopicPartition tp = entry.getKey();
                    OffsetCommitResponseData.OffsetCommitResponseTopic topic = byTopic.computeIfAbsent(tp.topic(), t -> {
                        OffsetCommitResponseData.OffsetCommitResponseTopic created =
                                new OffsetCommitResponseData.OffsetCommitResponseTopic();
                        return version >= 10 ? created.setTopicId(ids.get(tp)) : created.setName(t);
                    });
                    topic.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                            .setPartitionIndex(tp.partition()).setErrorCode(entry.getValue().code()));
                }
                response.topics().addAll(byTopic.values());
                return Reply.respond(ApiKeys.OFFSET_COMMIT, version, response);
            });
        };
    }

    RequestHandler offsetFetch() {
        return context -> {
            OffsetFetchRequestData request = ((OffsetFetchRequest) context.request()).data();
            short version = context.apiVersion();
            MetadataImage current = image.get();
            if (version < 8) {
                List<TopicPartition> wanted = null;
                if (request.topics() != null) {
                    wanted = new ArrayList<>();
                    for (OffsetFetchRequestData.OffsetFetchRequestTopic topic : request.topics()) {
                        for (int partition : topic.partitionIndexes()) {
                            wanted.add(new TopicPartition(topic.name(), partition));
                        }
                    }
                }
                List<TopicPartition> requested = wanted;
                return coordinator.fetchOffsets(request.groupId(), requested).thenApply(result -> {
                    OffsetFetchResponseData response = new OffsetFetchResponseData().setThrottleTimeMs(0);
                    if (version >= 2) {
                        response.setErrorCode(result.error().code());
                    }
                    Map<String, OffsetFetchResponseData.OffsetFetchResponseTopic> topics = new LinkedHashMap<>();
                    for (TopicPartition tp : requested == null ? List.copyOf(result.offsets().keySet()) : requested) {
                        OffsetFetchResponseData.OffsetFetchResponsePartition partition = legacyPartition(tp.partition(),
                                result.offsets().get(tp), version >= 2 ? Errors.NONE : result.error());
                        topics.computeIfAbsent(tp.topic(), t -> new OffsetFetchResponseData.OffsetFetchResponseTopic()
                                .setName(t)).partitions().add(partition);
                    }
                    response.topics().addAll(topics.values());
                    return Reply.respond(ApiKeys.OFFSET_FETCH, version, response);
                });
            }
            List<CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup>> groups = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestGroup group : request.groups()) {
                groups.add(fetchGroup(group, version, current));
            }
            return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
                OffsetFetchResponseData response = new OffsetFetchResponseData().setThrottleTimeMs(0);
                groups.forEach(g -> response.groups().add(g.join()));
                return Reply.respond(ApiKeys.OFFSET_FETCH, version, response);
            });
        };
    }

    private CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup> fetchGroup(
            OffsetFetchRequestData.OffsetFetchRequestGroup group, short version, MetadataImage current) {
        boolean byId = version >= 10;
        Map<String, Uuid> idsByName = new LinkedHashMap<>();
        List<TopicPartition> wanted = null;
        List<OffsetFetchResponseData.OffsetFetchResponseTopics> unknownIds = new ArrayList<>();
        if (group.topics() != null) {
            wanted = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopics topic : group.topics()) {
                String name = byId ? nameOf(current, topic.topicId()) : topic.name();
                if (name == null) {
                    OffsetFetchResponseData.OffsetFetchResponseTopics unknown =
                            new OffsetFetchResponseData.OffsetFetchResponseTopics().setTopicId(topic.topicId());
                    topic.partitionIndexes().forEach(p -> unknown.partitions().add(
                            partition(p, null).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())));
                    unknownIds.add(unknown);
                    continue;
                }
                idsByName.put(name, topic.topicId());
                for (int partition : topic.partitionIndexes()) {
                    wanted.add(new TopicPartition(name, partition));
                }
            }
        }
        List<TopicPartition> requested = wanted;
        return coordinator.fetchOffsets(group.groupId(), requested).thenApply(result -> {
            OffsetFetchResponseData.OffsetFetchResponseGroup response = new OffsetFetchResponseData.OffsetFetchResponseGroup()
                    .setGroupId(group.groupId()).setErrorCode(result.error().code());
            if (result.error() != Errors.NONE) {
                return response;
            }
            Map<String, OffsetFetchResponseData.OffsetFetchResponseTopics> topics = new LinkedHashMap<>();
            for (TopicPartition tp : requested == null ? List.copyOf(result.offsets().keySet()) : requested) {
                Uuid id = byId ? idsByName.computeIfAbsent(tp.topic(), n -> idOf(current, n)) : null;
                if (byId && id == null) {
                    continue; // a committed topic that no longer exists cannot be named by id
                }
                topics.computeIfAbsent(tp.topic(), t -> byId
                                ? new OffsetFetchResponseData.OffsetFetchResponseTopics().setTopicId(id)
                                : new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(t))
                        .partitions().add(partition(tp.partition(), result.offsets().get(tp)));
            }
            response.topics().addAll(topics.values());
            response.topics().addAll(unknownIds);
            return response;
        });
    }

    private static OffsetFetchResponseData.OffsetFetchResponsePartitions partition(int index, CommittedOffset offset) {
        return new OffsetFetchResponseData.OffsetFetchResponsePartitions().setPartitionIndex(index)
                .setCommittedOffset(offset == null ? -1L : offset.offset())
                .setCommittedLeaderEpoch(offset == null ? -1 : offset.leaderEpoch())
                .setMetadata(offset == null ? "" : offset.metadata())
                .setErrorCode(Errors.NONE.code());
    }

    private static OffsetFetchResponseData.OffsetFetchResponsePartition legacyPartition(int index, CommittedOffset offset,
                                                                                       Errors error) {
        return new OffsetFetchResponseData.OffsetFetchResponsePartition().setPartitionIndex(index)
                .setCommittedOffset(offset == null ? -1L : offset.offset())
                .setCommittedLeaderEpoch(offset == null ? -1 : offset.leaderEpoch())
                .setMetadata(offset == null ? "" : offset.metadata())
                .setErrorCode(error.code());
    }

    RequestHandler offsetDelete() {
        return context -> {
            OffsetDeleteRequestData request = ((OffsetDeleteRequest) context.request()).data();
            short version = context.apiVersion();
            List<TopicPartition> partitions = new ArrayList<>();
            for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : request.topics()) {
                topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partitionIndex())));
            }
            return coordinator.deleteOffsets(request.groupId(), partitions).thenApply(result -> {
                OffsetDeleteResponseData response = new OffsetDeleteResponseData().setThrottleTimeMs(0)
                        .setErrorCode(result.error().code());
                Map<String, OffsetDeleteResponseData.OffsetDeleteResponseTopic> topics = new LinkedHashMap<>();
                for (Map.Entry<TopicPartition, Errors> entry : result.partitions().entrySet()) {
                    TopicPartition tp = entry.getKey();
                    OffsetDeleteResponseData.OffsetDeleteResponseTopic topic = topics.computeIfAbsent(tp.topic(),
                            t -> new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(t));
                    topic.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                            .setPartitionIndex(tp.partition()).setErrorCode(entry.getValue().code()));
                }
                topics.values().forEach(t -> response.topics().add(t));
                return Reply.respond(ApiKeys.OFFSET_DELETE, version, response);
            });
        };
    }

    private static String nameOf(MetadataImage image, Uuid topicId) {
        if (topicId == null || Uuid.ZERO_UUID.equals(topicId)) {
            return null;
        }
        TopicMetadata topic = image.topic(TopicIds.fromKafka(topicId));
        return topic == null ? null : topic.name();
    }

    private static Uuid idOf(MetadataImage image, String name) {
        TopicMetadata topic = image.topic(name);
        return topic == null ? null : TopicIds.toKafka(topic.topicId());
    }

}
