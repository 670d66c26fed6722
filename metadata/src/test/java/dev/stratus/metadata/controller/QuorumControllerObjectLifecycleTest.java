package dev.stratus.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stratus.storage.metadata.CommitRange;
import dev.stratus.storage.metadata.CommitRequest;
import dev.stratus.storage.metadata.MarkedObject;
import dev.stratus.storage.metadata.NewObject;
import dev.stratus.storage.metadata.ObjectMetadata;
import dev.stratus.storage.metadata.ObjectType;
import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller gives multi-object commits, compaction commits, prepare TTLs, orphans and the
 * mark / forget lifecycle the same semantics as the storage's in-memory reference store, and
 * keeps them across restarts (journal replay).
 */
class QuorumControllerObjectLifecycleTest {

    private static final long TTL_MS = 60_000;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000_000);
    private JournalController node;
    private QuorumController controller;

    @AfterEach
    void closeController() {
        if (node != null) {
            node.close();
        }
    }

    private void restart() throws Exception {
        if (node != null) {
            node.close();
        }
        node = JournalController.open(dir.resolve("metadata.log"), clock);
        controller = node.controller;
    }

    private static void assertFails(CompletableFuture<?> future, StreamErrorCode code) {
        assertThatThrownBy(future::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(StreamException.class).extracting(e -> ((StreamException) e).code()).isEqualTo(code);
    }

    private long openStream() {
        long stream = controller.createStream().join();
        controller.openStream(stream, 0).join();
        return stream;
    }

    private static NewObject set(long id, CommitRange... ranges) {
        return new NewObject(id, ObjectType.STREAM_SET, 100, List.of(ranges));
    }

    @Test
    void anUploadOfAStreamSetObjectAndAStreamObjectCommitsAtomicallyAndSurvivesARestart() throws Exception {
        restart();
        long a = openStream();
        long b = openStream();
        long first = controller.prepareObjects(2, TTL_MS).join();
        assertFails(controller.commitObjects(CommitRequest.upload(List.of(set(first, new CommitRange(a, 0, 0, 5)),
                new NewObject(first + 1, ObjectType.STREAM, 900, List.of(new CommitRange(b, 0, 1, 300)))))),
                StreamErrorCode.OFFSET_MISMATCH);
        assertThat(controller.listObjects().join()).isEmpty();

        controller.commitObjects(CommitRequest.upload(List.of(set(first, new CommitRange(a, 0, 0, 5)),
                new NewObject(first + 1, ObjectType.STREAM, 900, List.of(new CommitRange(b, 0, 0, 300)))))).join();

        restart();
        assertThat(controller.listObjects().join()).extracting(ObjectMetadata::objectId, ObjectMetadata::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(first, ObjectType.STREAM_SET),
                        org.assertj.core.groups.Tuple.tuple(first + 1, ObjectType.STREAM));
        assertThat(controller.describeStream(b).join().endOffset()).isEqualTo(300);
        assertThat(controller.objectsOf(b, 0, 300, 10).join()).extracting(ObjectMetadata::objectId).containsExactly(first + 1);
    }

    @Test
    void aCompactionReplacesItsInputsAndTheReplacementSurvivesARestart() throws Exception {
        restart();
        long a = openStream();
        long b = openStream();
        long first = controller.prepareObjects(2, TTL_MS).join();
        controller.commitObjects(CommitRequest.upload(List.of(set(first, new CommitRange(a, 0, 0, 10),
                new CommitRange(b, 0, 0, 10))))).join();
        controller.commitObjects(CommitRequest.upload(List.of(set(first + 1, new CommitRange(a, 0, 10, 20),
                new CommitRange(b, 0, 10, 20))))).join();
        controller.trimStream(a, 0, 12).join();
        long merged = controller.prepareObjects(1, TTL_MS).join();

        // Losing b's offsets 15..20 is refused; dropping a's trimmed offsets is allowed.
        assertFails(controller.commitObjects(CommitRequest.compaction(List.of(set(merged, new CommitRange(a, -1, 10, 20),
                new CommitRange(b, -1, 0, 15))), List.of(first, first + 1))), StreamErrorCode.OFFSET_MISMATCH);
        controller.commitObjects(CommitRequest.compaction(List.of(set(merged, new CommitRange(a, -1, 10, 20),
                new CommitRange(b, -1, 0, 20))), List.of(first, first + 1))).join();
        // The same inputs cannot be compacted twice.
        long again = controller.prepareObjects(1, TTL_MS).join();
        assertFails(controller.commitObjects(CommitRequest.compaction(List.of(set(again, new CommitRange(b, -1, 0, 10))),
                List.of(first))), StreamErrorCode.OFFSET_MISMATCH);

        restart();
        assertThat(controller.listObjects().join()).extracting(ObjectMetadata::objectId).containsExactly(merged);
        assertThat(controller.objectsOf(a, 12, 20, 10).join()).extracting(ObjectMetadata::objectId).containsExactly(merged);
        assertThat(controller.objectsOf(b, 0, 20, 10).join()).extracting(ObjectMetadata::objectId).containsExactly(merged);
        assertThat(controller.markedObjects().join()).containsExactly(new MarkedObject(first, clock.millis()),
                new MarkedObject(first + 1, clock.millis()));
        assertThat(controller.describeStream(a).join().endOffset()).isEqualTo(20);
    }

    @Test
    void objectsWithNoLiveDataCanBeMarkedThenForgottenAndBothSurviveARestart() throws Exception {
        restart();
        long a = openStream();
        long b = openStream();
        long first = controller.prepareObjects(2, TTL_MS).join();
        controller.commitObjects(CommitRequest.upload(List.of(set(first, new CommitRange(a, 0, 0, 10))))).join();
        controller.commitObjects(CommitRequest.upload(List.of(set(first + 1, new CommitRange(b, 0, 0, 10))))).join();
        assertFails(controller.commitObjects(CommitRequest.compaction(List.of(), List.of(first))), StreamErrorCode.OFFSET_MISMATCH);
        controller.deleteStream(a, 0).join();
        controller.trimStream(b, 0, 10).join();
        controller.commitObjects(CommitRequest.compaction(List.of(), List.of(first, first + 1))).join();

        restart();
        assertThat(controller.listObjects().join()).isEmpty();
        assertThat(controller.markedObjects().join()).extracting(MarkedObject::objectId).containsExactly(first, first + 1);
        controller.forgetObjects(List.of(first)).join();

        restart();
        assertThat(controller.markedObjects().join()).extracting(MarkedObject::objectId).containsExactly(first + 1);
    }

    @Test
    void preparesExpireAcrossRestartsAndExpiredIdsBecomeOrphans() throws Exception {
        restart();
        long a = openStream();
        long expiring = controller.prepareObjects(1, TTL_MS).join();
        long committed = controller.prepareObjects(1, 10 * TTL_MS).join();
        controller.commitObjects(CommitRequest.upload(List.of(set(committed, new CommitRange(a, 0, 0, 5))))).join();
        assertThat(controller.markOrphans(List.of(expiring, committed)).join()).isEmpty();

        restart();
        assertThat(controller.markOrphans(List.of(expiring)).join()).as("prepare persisted, not expired").isEmpty();
        clock.advance(TTL_MS + 1);
        assertFails(controller.commitObjects(CommitRequest.upload(List.of(set(expiring, new CommitRange(a, 0, 5, 9))))),
                StreamErrorCode.UNEXPECTED);

        restart();
        assertThat(controller.markOrphans(List.of(expiring, committed, 10_000L)).join()).containsExactly(expiring);
        restart();
        assertThat(controller.markedObjects().join()).containsExactly(new MarkedObject(expiring, clock.millis()));
        assertThat(controller.prepareObjects(1, TTL_MS).join()).isGreaterThan(committed);
    }
}
