package dev.stratus.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.metadata.BrokerLoad;
import dev.stratus.metadata.BrokerRegistrationRequest;
import dev.stratus.metadata.MetadataException;
import dev.stratus.metadata.PartitionMetadata;
import dev.stratus.metadata.TopicMetadata;
import dev.stratus.metadata.config.ConfigOp;
import dev.stratus.metadata.image.ImageRecords;
import dev.stratus.metadata.image.MetadataDelta;
import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.image.MetadataLoader;
import dev.stratus.metadata.log.LocalMetadataLog;
import dev.stratus.metadata.log.MetadataLogListener;
import dev.stratus.metadata.record.MetadataRecord;
import dev.stratus.storage.metadata.CommitRange;
import dev.stratus.storage.metadata.CommitRequest;
import dev.stratus.storage.metadata.NewObject;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.ObjectType;
import dev.stratus.storage.metadata.StreamMetadata;
import dev.stratus.storage.metadata.StreamOffsetRange;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sequences of controller operations, valid and invalid, with restarts, checked after
 * every step against the invariants that make the metadata safe: epochs only grow, a stale
 * epoch is always fenced, every committed range of a stream is held by a committed object,
 * nothing still referenced is deleted, and every way of building the image (incremental
 * deltas, a restart replaying the journal, a snapshot) gives the same image. Seeded: a failure
 * prints its seed; rerun one with {@code -Dstratus.model.seed=N}.
 */
class ControllerModelTest {

    private static final int STEPS = 600;
    private static final List<String> TOPICS = List.of("a", "b", "c", "d");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000_000);

    private Random random;
    private long seed;
    private LocalMetadataLog log;
    private MetadataLoader loader;
    private QuorumController controller;
    /** A second node that has applied every committed batch since the start, never restarted. */
    private final MetadataLoader follower = new MetadataLoader();
    private final Set<Long> forgotten = new HashSet<>();
    private final Map<Long, Long> uncommittedPrepares = new HashMap<>();
    private boolean replaying;
    private int uploads;
    private int compactions;
    private int restarts;
    private int sessionOpens;

    static List<Long> seeds() {
        String fixed = System.getProperty("stratus.model.seed");
        if (fixed != null) {
            return List.of(Long.parseLong(fixed));
        }
        Random seeds = new Random();
        return List.of(seeds.nextLong(), seeds.nextLong(), seeds.nextLong());
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomOperationsAndRestartsKeepEveryInvariant(long seed) throws Exception {
        this.seed = seed;
        this.random = new Random(seed);
        System.out.println("ControllerModelTest seed " + seed + " (rerun with -Dstratus.model.seed=" + seed + ")");
        open();
        try {
            MetadataImage before = loader.image();
            for (int step = 0; step < STEPS; step++) {
                clock.advance(random.nextInt(5_000));
                String op = step(step);
                MetadataImage after = loader.image();
                checkInvariants(before, after, "step " + step + " (" + op + "), seed " + seed);
                before = after;
            }
            // The sequence did exercise what the invariants are about.
            assertThat(uploads).as("uploads committed, seed " + seed).isGreaterThan(20);
            assertThat(compactions).as("compactions committed, seed " + seed).isGreaterThan(2);
            assertThat(restarts).as("restarts, seed " + seed).isGreaterThan(5);
            assertThat(sessionOpens).as("opens in a live session, seed " + seed).isPositive();
            assertThat(loader.image().objects().liveCount() + loader.image().objects().marked().size())
                    .as("objects at the end, seed " + seed).isPositive();
        } finally {
            controller.close();
            log.close();
        }
    }

    private void open() throws Exception {
        log = LocalMetadataLog.open(1, dir.resolve("metadata.log"));
        loader = new MetadataLoader();
        replaying = true;
        log.start(new MetadataLogListener() {
            @Override
            public void onCommit(long offset, List<MetadataRecord> records) {
                loader.onCommit(offset, records);
                // The journal's replay at a restart is what the follower has applied already.
                if (!replaying) {
                    follower.onCommit(follower.image().offset() + 1, records);
                }
            }

            @Override
            public void onSnapshot(long offset, List<MetadataRecord> records) {
                throw new AssertionError("the local log has no snapshots");
            }

            @Override
            public List<MetadataRecord> snapshot() {
                return loader.snapshot();
            }
        });
        replaying = false;
        controller = new QuorumController(log, loader, clock, () -> new UUID(random.nextLong(), random.nextLong()));
    }

    private String step(int step) throws Exception {
        MetadataImage image = loader.image();
        int choice = random.nextInt(106);
        if (choice >= 100) {
            return brokerSessionStep(image, choice);
        }
        if (choice < 4) {
            MetadataImage beforeRestart = image;
            controller.close();
            log.close();
            open();
            assertSameContent(loader.image(), beforeRestart, "a restart replays the journal into the same image, seed " + seed);
            restarts++;
            return "restart";
        } else if (choice < 10) {
            int broker = 1 + random.nextInt(3);
            tolerate(controller.registerBroker(new BrokerRegistrationRequest(broker, new UUID(seed, step), "127.0.0.1",
                    9000 + broker, null)));
            return "register " + broker;
        } else if (choice < 18) {
            tolerate(controller.createTopic(pick(TOPICS), 1 + random.nextInt(3), Map.of()));
            return "create topic";
        } else if (choice < 21) {
            tolerate(controller.deleteTopic(pick(TOPICS)));
            return "delete topic";
        } else if (choice < 24) {
            tolerate(controller.createPartitions(pick(TOPICS), 1 + random.nextInt(5), random.nextBoolean()));
            return "create partitions";
        } else if (choice < 27) {
            tolerate(controller.alterTopicConfigs(pick(TOPICS), List.of(new ConfigOp(ConfigOp.Type.SET, "retention.ms",
                    String.valueOf(1000 + random.nextInt(10)))), false, random.nextBoolean()));
            return "alter configs";
        } else if (choice < 30) {
            tolerate(controller.createStream());
            return "create stream";
        }
        StreamMetadata stream = randomStream(image);
        if (choice < 42 && stream != null) {
            long epoch = stream.epoch() + random.nextInt(4) - 1;
            CompletableFuture<StreamMetadata> open = controller.openStream(stream.streamId(), epoch);
            if (epoch < stream.epoch()) {
                assertFenced(open, "open below the stream's epoch");
            } else {
                assertThat(open.join().epoch()).isEqualTo(epoch);
            }
            return "open " + stream.streamId() + " at " + epoch;
        } else if (choice < 47 && stream != null) {
            long epoch = stream.epoch() + (random.nextInt(4) == 0 ? -1 : 0);
            CompletableFuture<Void> close = controller.closeStream(stream.streamId(), epoch);
            if (epoch != stream.epoch()) {
                assertFenced(close, "close by a stale owner");
            } else {
                close.join();
            }
            return "close " + stream.streamId();
        } else if (choice < 52 && stream != null) {
            long epoch = stream.epoch() + (random.nextInt(4) == 0 ? -1 : 0);
            long to = stream.startOffset() + random.nextInt((int) Math.max(1, stream.endOffset() - stream.startOffset() + 1));
            CompletableFuture<Void> trim = controller.trimStream(stream.streamId(), epoch, to);
            if (epoch != stream.epoch()) {
                assertFenced(trim, "trim by a stale owner");
            } else {
                trim.join();
            }
            return "trim " + stream.streamId() + " to " + to;
        } else if (choice < 72 && stream != null) {
            return upload(stream);
        } else if (choice < 80) {
            return compactOne(image);
        } else if (choice < 86) {
            List<Long> candidates = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                candidates.add((long) random.nextInt((int) Math.max(1, image.objects().nextObjectId() + 2)));
            }
            controller.markOrphans(candidates).join();
            return "mark orphans " + candidates;
        } else if (choice < 92) {
            List<Long> ids = new ArrayList<>();
            image.objects().marked().forEach(m -> ids.add(m.objectId()));
            if (random.nextBoolean() && !image.objects().live().isEmpty()) {
                ids.add(pick(image.objects().live()).objectId());
            }
            controller.forgetObjects(ids).join();
            ids.stream().filter(id -> image.objects().isMarked(id)).forEach(forgotten::add);
            return "forget " + ids;
        } else if (choice < 96) {
            long first = controller.allocateProducerIds(1 + random.nextInt(1000)).join();
            assertThat(first).isEqualTo(image.nextProducerId());
            return "producer ids";
        }
        long first = controller.prepareObjects(1 + random.nextInt(2), 1 + random.nextInt(20_000)).join();
        uncommittedPrepares.put(first, clock.millis());
        return "prepare " + first;
    }

    /**
     * A broker gives up its lease (controlled shutdown), or a broker's session changes a stream:
     * refused with STALE_BROKER_EPOCH exactly when that registration is fenced or replaced.
     */
    private String brokerSessionStep(MetadataImage image, int choice) {
        int broker = 1 + random.nextInt(3);
        long registered = image.brokers().epoch(broker);
        long epoch = registered - random.nextInt(2);
        if (choice < 102) {
            tolerate(controller.heartbeat(broker, epoch, true, BrokerLoad.NONE));
            return "controlled shutdown of " + broker + " at " + epoch;
        }
        StreamMetadata stream = randomStream(image);
        if (stream == null) {
            return "no stream for a session";
        }
        CompletableFuture<StreamMetadata> open = controller.session(broker, epoch).openStream(stream.streamId(), stream.epoch() + 1);
        var registration = image.brokers().broker(broker);
        boolean stale = registration == null || registration.epoch() != epoch || registration.fenced();
        try {
            open.join();
            assertThat(stale).as("a stale session's open was accepted, seed " + seed).isFalse();
            sessionOpens++;
        } catch (CompletionException e) {
            boolean refusedAsStale = e.getCause() instanceof MetadataException m
                    && m.code() == dev.stratus.metadata.MetadataErrorCode.STALE_BROKER_EPOCH;
            assertThat(refusedAsStale).as("refused as stale (" + e.getCause() + "), seed " + seed).isEqualTo(stale);
        }
        return "session open by " + broker + " at " + epoch;
    }

    /** An upload of one or two streams' next ranges, sometimes by a stale owner. */
    private String upload(StreamMetadata stream) {
        long objectId = controller.prepareObjects(1, 60_000).join();
        boolean stale = random.nextInt(5) == 0;
        long epoch = stale ? stream.epoch() - 1 : stream.epoch();
        long end = stream.endOffset() + 1 + random.nextInt(100);
        NewObject object = new NewObject(objectId, ObjectType.STREAM_SET, 100,
                List.of(new CommitRange(stream.streamId(), epoch, stream.endOffset(), end)));
        CompletableFuture<Void> commit = controller.commitObjects(CommitRequest.upload(List.of(object)));
        if (stale) {
            assertFenced(commit, "commit by a stale owner");
            return "stale upload";
        }
        commit.join();
        // A retry of the same commit changes nothing.
        controller.commitObjects(CommitRequest.upload(List.of(object))).join();
        assertThat(loader.image().streams().stream(stream.streamId()).endOffset()).isEqualTo(end);
        uploads++;
        return "upload " + stream.streamId() + " to " + end;
    }

    /** Replaces one live object by a copy holding its still-live ranges (a compaction of one input). */
    private String compactOne(MetadataImage image) {
        List<ObjectMetadata> live = image.objects().live();
        if (live.isEmpty()) {
            return "compact nothing";
        }
        ObjectMetadata input = pick(live);
        List<CommitRange> ranges = new ArrayList<>();
        for (StreamOffsetRange range : input.ranges()) {
            StreamMetadata stream = image.streams().stream(range.streamId());
            if (stream != null && range.endOffset() > stream.startOffset()) {
                ranges.add(new CommitRange(range.streamId(), 0, Math.max(range.startOffset(), stream.startOffset()),
                        range.endOffset()));
            }
        }
        List<NewObject> outputs = new ArrayList<>();
        if (!ranges.isEmpty()) {
            outputs.add(new NewObject(controller.prepareObjects(1, 60_000).join(), ObjectType.STREAM_SET, 50, ranges));
        }
        controller.commitObjects(CommitRequest.compaction(outputs, List.of(input.objectId()))).join();
        assertThat(loader.image().objects().object(input.objectId())).as("a compacted input is replaced").isNull();
        compactions++;
        return "compact " + input.objectId();
    }

    private void checkInvariants(MetadataImage before, MetadataImage after, String where) {
        // Epochs only grow: streams, partition leaders, brokers.
        for (StreamMetadata stream : after.streams().all()) {
            StreamMetadata earlier = before.streams().stream(stream.streamId());
            if (earlier != null) {
                assertThat(stream.epoch()).as("stream epoch at " + where).isGreaterThanOrEqualTo(earlier.epoch());
                assertThat(stream.endOffset()).as("stream end at " + where).isGreaterThanOrEqualTo(earlier.endOffset());
                assertThat(stream.startOffset()).as("stream start at " + where).isGreaterThanOrEqualTo(earlier.startOffset());
            }
            assertThat(stream.startOffset()).as("start within the stream at " + where).isLessThanOrEqualTo(
                    Math.max(stream.endOffset(), stream.startOffset()));
        }
        for (TopicMetadata topic : after.topics()) {
            TopicMetadata earlier = before.topic(topic.topicId());
            for (PartitionMetadata p : topic.partitions()) {
                assertThat(after.streams().stream(p.streamId())).as("partition's stream exists at " + where).isNotNull();
                if (earlier != null && earlier.partition(p.partition()) != null) {
                    assertThat(p.leaderEpoch()).as("leader epoch at " + where)
                            .isGreaterThanOrEqualTo(earlier.partition(p.partition()).leaderEpoch());
                }
            }
        }
        after.brokers().all().forEach(b -> {
            assertThat(b.epoch()).as("broker epoch at " + where).isGreaterThanOrEqualTo(before.brokers().epoch(b.brokerId()));
            var earlier = before.brokers().broker(b.brokerId());
            if (earlier != null && earlier.fenced() && earlier.epoch() == b.epoch()) {
                assertThat(b.fenced()).as("a fenced registration stays fenced at " + where).isTrue();
            }
        });
        // Every committed range of a stream is held by committed objects, without a gap.
        for (StreamMetadata stream : after.streams().all()) {
            long covered = stream.startOffset();
            for (ObjectMetadata object : after.objects().objectsOf(stream.streamId(), stream.startOffset(), stream.endOffset(),
                    Integer.MAX_VALUE)) {
                assertThat(after.objects().object(object.objectId())).as("an indexed object is committed at " + where).isNotNull();
                StreamOffsetRange range = object.rangeOf(stream.streamId());
                assertThat(range.startOffset()).as("no gap in stream " + stream.streamId() + " at " + where)
                        .isLessThanOrEqualTo(covered);
                covered = Math.max(covered, range.endOffset());
            }
            assertThat(covered).as("stream " + stream.streamId() + " covered to its end at " + where)
                    .isGreaterThanOrEqualTo(stream.endOffset());
        }
        // Nothing referenced is deleted: a forgotten (deleted) object never becomes live again. (Its id may be
        // marked again as an orphan if its key still showed up in a listing: harmless, it is deleted again.)
        for (long id : forgotten) {
            assertThat(after.objects().object(id)).as("forgotten object " + id + " at " + where).isNull();
        }
        after.objects().marked().forEach(m -> assertThat(after.objects().object(m.objectId()))
                .as("a marked object is not live at " + where).isNull());
        // Every way of building the image agrees.
        assertSameContent(follower.image(), after, "the follower's image at " + where);
        MetadataImage fromSnapshot = new MetadataDelta(MetadataImage.EMPTY).replayAll(ImageRecords.of(after)).apply(after.offset());
        assertSameContent(fromSnapshot, after, "the snapshot's image at " + where);
    }

    private static void assertSameContent(MetadataImage actual, MetadataImage expected, String what) {
        assertThat(actual.features()).as(what + ": features").isEqualTo(expected.features());
        assertThat(actual.brokers()).as(what + ": brokers").isEqualTo(expected.brokers());
        assertThat(actual.topicsImage()).as(what + ": topics").isEqualTo(expected.topicsImage());
        assertThat(actual.streams()).as(what + ": streams").isEqualTo(expected.streams());
        assertThat(actual.objects()).as(what + ": objects").isEqualTo(expected.objects());
        assertThat(actual.nextProducerId()).as(what + ": producer ids").isEqualTo(expected.nextProducerId());
    }

    private StreamMetadata randomStream(MetadataImage image) {
        List<StreamMetadata> all = new ArrayList<>(image.streams().all());
        all.sort((a, b) -> Long.compare(a.streamId(), b.streamId()));
        return all.isEmpty() ? null : pick(all);
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** An operation that may be refused; a refusal must be one of the controller's own errors. */
    private static void tolerate(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOfAny(MetadataException.class, StreamException.class);
        }
    }

    private static void assertFenced(CompletableFuture<?> future, String what) {
        try {
            future.join();
        } catch (CompletionException e) {
            assertThat(e.getCause()).as(what).isInstanceOf(StreamException.class);
            assertThat(((StreamException) e.getCause()).code()).as(what).isEqualTo(StreamErrorCode.FENCED);
            return;
        }
        throw new AssertionError(what + " was not fenced");
    }
}
