package dev.stratus.broker.group;

import dev.stratus.broker.network.RequestHandler;
import dev.stratus.broker.partition.PartitionRegistry;
import dev.stratus.metadata.TopicController;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.image.MetadataDelta;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.image.MetadataPublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the broker needs for consumer groups, wired: the group agent threads, the
 * {@code __consumer_offsets} log, the {@link GroupCoordinator} and the API handlers. The broker
 * registers the handlers, calls {@link #start()} once it follows metadata, then subscribes the
 * layer to the metadata: the groups of each {@code __consumer_offsets} partition this broker
 * leads are loaded (answering COORDINATOR_LOAD_IN_PROGRESS meanwhile), the others answer
 * NOT_COORDINATOR, and a partition that moves takes its groups along. {@link #shutdown} comes
 * after the listener has stopped. Lifecycle calls come from the broker's lifecycle thread,
 * metadata updates from the loader's.
 */
public final class GroupLayer implements MetadataPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(GroupLayer.class);

    private final List<GroupAgent> agents = new ArrayList<>();
    private final GroupCoordinator coordinator;
    private final int nodeId;
    private final MembershipHandlers membership;
    private final OffsetHandlers offsets;
    private final GroupAdminHandlers admin;
    private final ConsumerGroupHandlers consumerGroups;

    public GroupLayer(GroupCoordinatorConfig config, int agentThreads, int nodeId, String advertisedHost,
                      IntSupplier advertisedPort, String rack, TopicController controller, PartitionRegistry registry) {
        Clock clock = Clock.systemUTC();
        for (int i = 0; i < Math.max(1, agentThreads); i++) {
            agents.add(new GroupAgent("stratus-group-" + i, clock));
        }
        OffsetsTopicLog log = new OffsetsTopicLog(controller, registry, config.offsetsTopicPartitions(), agents.get(0), clock);
        this.nodeId = nodeId;
        this.coordinator = new GroupCoordinator(config, log, agents, new MetadataTopicsView(registry::image));
        this.membership = new MembershipHandlers(coordinator, nodeId, advertisedHost, advertisedPort, rack, registry::image);
        this.offsets = new OffsetHandlers(coordinator, registry::image);
        this.admin = new GroupAdminHandlers(coordinator);
        this.consumerGroups = new ConsumerGroupHandlers(coordinator, new MetadataTopicsView(registry::image));
    }

    /** Adds the handlers of every group API to {@code handlers}. */
    public void registerHandlers(Map<ApiKeys, RequestHandler> handlers) {
        handlers.put(ApiKeys.FIND_COORDINATOR, membership.findCoordinator());
        handlers.put(ApiKeys.JOIN_GROUP, membership.joinGroup());
        handlers.put(ApiKeys.SYNC_GROUP, membership.syncGroup());
        handlers.put(ApiKeys.HEARTBEAT, membership.heartbeat());
        handlers.put(ApiKeys.LEAVE_GROUP, membership.leaveGroup());
        handlers.put(ApiKeys.OFFSET_COMMIT, offsets.offsetCommit());
        handlers.put(ApiKeys.OFFSET_FETCH, offsets.offsetFetch());
        handlers.put(ApiKeys.OFFSET_DELETE, offsets.offsetDelete());
        handlers.put(ApiKeys.DESCRIBE_GROUPS, admin.describeGroups());
        handlers.put(ApiKeys.LIST_GROUPS, admin.listGroups());
        handlers.put(ApiKeys.DELETE_GROUPS, admin.deleteGroups());
        handlers.put(ApiKeys.CONSUMER_GROUP_HEARTBEAT, consumerGroups.heartbeat());
        handlers.put(ApiKeys.CONSUMER_GROUP_DESCRIBE, consumerGroups.describe());
    }

    public GroupCoordinator coordinator() {
        return coordinator;
    }

    public void start() {
        agents.forEach(GroupAgent::start);
        coordinator.start();
        LOG.info("Group coordinator started ({} group thread(s)) over {}", agents.size(), OffsetsTopicLog.TOPIC);
    }

    /** Follows who coordinates which groups: when the offsets topic or the brokers change. */
    @Override
    public void onMetadataUpdate(MetadataDelta delta, MetadataImage image) {
        TopicMetadata offsets = image.topic(OffsetsTopicLog.TOPIC);
        if (delta.brokersChanged() || (offsets != null && delta.changedTopics().contains(offsets.topicId()))
                || !delta.deletedTopics().isEmpty() || delta.base().offset() < 0) {
            coordinator.follow(image, nodeId);
        }
    }

    public void shutdown(Duration timeout) throws InterruptedException {
        for (GroupAgent agent : agents) {
            agent.shutdown(timeout);
        }
    }
}
