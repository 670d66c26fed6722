package dev.stratus.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stratus.metadata.BrokerRegistrationRequest;
import dev.stratus.metadata.MetadataException;
import dev.stratus.metadata.image.ImageRecords;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.quorum.QuorumSettings;
import dev.stratus.metadata.quorum.QuorumVoter;
import dev.stratus.storage.metadata.CommitRange;
import dev.stratus.storage.metadata.CommitRequest;
import dev.stratus.storage.metadata.NewObject;
import dev.stratus.storage.metadata.ObjectType;
import dev.stratus.storage.metadata.StreamMetadata;
import dev.stratus.storage.stream.StreamException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random controller operations through a broker's client against a three-member Ratis quorum
 * whose members are stopped and restarted at random (never more than one down, so a majority
 * always decides), with snapshots every few entries: once the operations stop, every member's
 * image, rebuilt from its own snapshots and log, is the same, and the same as the broker's.
 * Seeded: a failure prints its seed; rerun with {@code -Dstratus.quorum.model.seed=N}.
 */
class QuorumModelTest {

    private static final int STEPS = 150;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void membersRestartedAtRandomEndWithTheSameImage() throws Exception {
        long seed = Long.getLong("stratus.quorum.model.seed", new Random().nextLong());
        System.out.println("QuorumModelTest seed " + seed + " (rerun with -Dstratus.quorum.model.seed=" + seed + ")");
        Random random = new Random(seed);
        List<QuorumVoter> voters = List.of(new QuorumVoter(1, "127.0.0.1", freePort()),
                new QuorumVoter(2, "127.0.0.1", freePort()), new QuorumVoter(3, "127.0.0.1", freePort()));
        QuorumMember[] members = new QuorumMember[3];
        MetadataLoader[] images = new MetadataLoader[3];
        MetadataLoader brokerImage = new MetadataLoader();
        QuorumFollower broker = null;
        try {
            for (int i = 0; i < 3; i++) {
                images[i] = new MetadataLoader();
                members[i] = QuorumMember.start(settings(voters, i + 1), images[i], Clock.systemUTC(), 0);
            }
            broker = QuorumFollower.start(settings(voters, 10), brokerImage, true);
            var client = broker.controller();
            client.registerBroker(new BrokerRegistrationRequest(10, UUID.randomUUID(), "127.0.0.1", 9092, null))
                    .get(30, TimeUnit.SECONDS);
            int down = -1;
            for (int step = 0; step < STEPS; step++) {
                int choice = random.nextInt(100);
                if (choice < 6) {
                    if (down >= 0) {
                        images[down] = new MetadataLoader();
                        members[down] = QuorumMember.start(settings(voters, down + 1), images[down], Clock.systemUTC(), 0);
                        down = -1;
                    } else {
                        down = random.nextInt(3);
                        members[down].close();
                    }
                } else if (choice < 30) {
                    tolerate(client.createTopic("t" + random.nextInt(8), 1 + random.nextInt(4), Map.of()));
                } else if (choice < 40) {
                    tolerate(client.deleteTopic("t" + random.nextInt(8)));
                } else if (choice < 60) {
                    tolerate(client.allocateProducerIds(1 + random.nextInt(100)));
                } else {
                    List<StreamMetadata> streams = new ArrayList<>(brokerImage.image().streams().all());
                    if (streams.isEmpty()) {
                        continue;
                    }
                    StreamMetadata stream = streams.get(random.nextInt(streams.size()));
                    if (choice < 75) {
                        tolerate(client.openStream(stream.streamId(), stream.epoch() + 1));
                    } else {
                        long objectId;
                        try {
                            objectId = client.prepareObjects(1, 60_000).get(30, TimeUnit.SECONDS);
                        } catch (ExecutionException e) {
                            // A member restart or election can refuse a change (retriably); the next step goes on.
                            assertThat(e.getCause()).isInstanceOf(MetadataException.class);
                            continue;
                        }
                        tolerate(client.commitObjects(CommitRequest.upload(List.of(new NewObject(objectId, ObjectType.STREAM_SET,
                                100, List.of(new CommitRange(stream.streamId(), stream.epoch(), stream.endOffset(),
                                        stream.endOffset() + 10)))))));
                    }
                }
            }
            if (down >= 0) {
                images[down] = new MetadataLoader();
                members[down] = QuorumMember.start(settings(voters, down + 1), images[down], Clock.systemUTC(), 0);
            }
            // One last change that every member must apply: then all images must be the same.
            long[] allocated = {-1};
            await().atMost(WAIT).until(() -> {
                try {
                    allocated[0] = client.allocateProducerIds(1).get(30, TimeUnit.SECONDS);
                    return true;
                } catch (ExecutionException e) {
                    return false; // an election right after the last restart; try again
                }
            });
            long last = allocated[0];
            for (MetadataLoader image : images) {
                await().atMost(WAIT).until(() -> image.image().nextProducerId() == last + 1);
            }
            await().atMost(WAIT).until(() -> brokerImage.image().nextProducerId() == last + 1);
            var expected = ImageRecords.of(brokerImage.image());
            for (int i = 0; i < 3; i++) {
                MetadataImage image = images[i].image();
                assertThat(ImageRecords.of(image)).as("member %d's image, seed %d", i + 1, seed).isEqualTo(expected);
            }
            assertThat(brokerImage.image().topics()).as("seed " + seed).isNotEmpty();
        } finally {
            if (broker != null) {
                broker.close();
            }
            for (QuorumMember member : members) {
                if (member != null) {
                    try {
                        member.close();
                    } catch (RuntimeException ignored) {
                        // closed already (the member that was down)
                    }
                }
            }
        }
    }

    private QuorumSettings settings(List<QuorumVoter> voters, int nodeId) {
        return QuorumSettings.defaults(nodeId, "quorum-model", voters, dir.resolve("node-" + nodeId))
                .withElectionTimeoutMs(500, 1000).withSnapshotThresholdEntries(25).withLogSegmentBytes(64 << 10);
    }

    private static void tolerate(CompletableFuture<?> future) throws Exception {
        try {
            future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfAny(MetadataException.class, StreamException.class);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
