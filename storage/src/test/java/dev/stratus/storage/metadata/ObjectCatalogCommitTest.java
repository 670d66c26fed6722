package dev.stratus.storage.metadata;

import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.testing.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The object lifecycle of the in-memory store: multi-object commits, compaction commits, TTLs, orphans, deletion. */
class ObjectCatalogCommitTest {

    private static final long TTL_MS = 60_000;

    private final ManualClock clock = new ManualClock(1_000_000);
    private final InMemoryStreamMetadataStore store = new InMemoryStreamMetadataStore(clock);
    private long a;
    private long b;

    @BeforeEach
    void twoOpenStreams() {
        a = store.createStream().join();
        b = store.createStream().join();
        store.openStream(a, 0).join();
        store.openStream(b, 0).join();
    }

    private static void assertFails(CompletableFuture<?> future, StreamErrorCode code) {
        assertThatThrownBy(future::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(StreamException.class).extracting(e -> ((StreamException) e).code()).isEqualTo(code);
    }

    private static NewObject set(long id, CommitRange... ranges) {
        return new NewObject(id, ObjectType.STREAM_SET, 100, List.of(ranges));
    }

    private static NewObject streamObject(long id, CommitRange range) {
        return new NewObject(id, ObjectType.STREAM, 100, List.of(range));
    }

    private static CommitRange rewrite(long stream, long start, long end) {
        return new CommitRange(stream, -1, start, end);
    }

    /** Uploads [0,10) of a and b in one object, then [10,20) of both in another; returns the two ids. */
    private long[] twoUploads() {
        long first = store.prepareObjects(2, TTL_MS).join();
        store.commitObjects(CommitRequest.upload(List.of(set(first, new CommitRange(a, 0, 0, 10), new CommitRange(b, 0, 0, 10)))))
                .join();
        store.commitObjects(CommitRequest.upload(List.of(set(first + 1, new CommitRange(a, 0, 10, 20),
                new CommitRange(b, 0, 10, 20))))).join();
        return new long[] {first, first + 1};
    }

    @Test
    void anUploadCommitsAStreamSetObjectAndStreamObjectsTogether() {
        long first = store.prepareObjects(2, TTL_MS).join();
        store.commitObjects(CommitRequest.upload(List.of(set(first, new CommitRange(a, 0, 0, 5)),
                streamObject(first + 1, new CommitRange(b, 0, 0, 500))))).join();
        assertThat(store.describeStream(a).join().endOffset()).isEqualTo(5);
        assertThat(store.describeStream(b).join().endOffset()).isEqualTo(500);
        assertThat(store.listObjects().join()).extracting(ObjectMetadata::type)
                .containsExactly(ObjectType.STREAM_SET, ObjectType.STREAM);
    }

    @Test
    void anUploadWithOneBadRangeCommitsNothing() {
        long first = store.prepareObjects(2, TTL_MS).join();
        assertFails(store.commitObjects(CommitRequest.upload(List.of(set(first, new CommitRange(a, 0, 0, 5)),
                streamObject(first + 1, new CommitRange(b, 0, 3, 500))))), StreamErrorCode.OFFSET_MISMATCH);
        assertThat(store.listObjects().join()).isEmpty();
        assertThat(store.describeStream(a).join().endOffset()).isZero();
    }

    @Test
    void anObjectMayHoldOnlyOneRangePerStreamAndAStreamObjectOnlyOneStream() {
        long first = store.prepareObjects(2, TTL_MS).join();
        assertFails(store.commitObjects(CommitRequest.upload(List.of(set(first, new CommitRange(a, 0, 0, 5),
                new CommitRange(a, 0, 5, 9))))), StreamErrorCode.UNEXPECTED);
        assertFails(store.commitObjects(CommitRequest.upload(List.of(new NewObject(first + 1, ObjectType.STREAM, 1,
                List.of(new CommitRange(a, 0, 0, 5), new CommitRange(b, 0, 0, 5)))))), StreamErrorCode.UNEXPECTED);
    }

    @Test
    void aCompactionReplacesItsInputsAtomicallyAndMarksThem() {
        long[] inputs = twoUploads();
        long merged = store.prepareObjects(1, TTL_MS).join();
        store.commitObjects(CommitRequest.compaction(List.of(set(merged, rewrite(a, 0, 20), rewrite(b, 0, 20))),
                List.of(inputs[0], inputs[1]))).join();
        assertThat(store.listObjects().join()).extracting(ObjectMetadata::objectId).containsExactly(merged);
        assertThat(store.objectsOf(a, 0, 20, 10).join()).extracting(ObjectMetadata::objectId).containsExactly(merged);
        assertThat(store.markedObjects().join()).extracting(MarkedObject::objectId).containsExactly(inputs[0], inputs[1]);
        assertThat(store.describeStream(a).join().endOffset()).isEqualTo(20);
    }

    @Test
    void aCompactionThatWouldLoseLiveDataIsRefused() {
        long[] inputs = twoUploads();
        long merged = store.prepareObjects(1, TTL_MS).join();
        assertFails(store.commitObjects(CommitRequest.compaction(List.of(set(merged, rewrite(a, 0, 20), rewrite(b, 0, 15))),
                List.of(inputs[0], inputs[1]))), StreamErrorCode.OFFSET_MISMATCH);
        assertThat(store.listObjects().join()).extracting(ObjectMetadata::objectId).containsExactly(inputs[0], inputs[1]);
        assertThat(store.markedObjects().join()).isEmpty();
    }

    @Test
    void aCompactionMayNotClaimDataItsInputsDoNotHold() {
        long[] inputs = twoUploads();
        long merged = store.prepareObjects(1, TTL_MS).join();
        assertFails(store.commitObjects(CommitRequest.compaction(List.of(set(merged, rewrite(a, 0, 20), rewrite(b, 0, 10))),
                List.of(inputs[0]))), StreamErrorCode.OFFSET_MISMATCH);
    }

    @Test
    void aCompactionMayDropWhatWasTrimmedEvenIfTheTrimCameAfterItRead() {
        long[] inputs = twoUploads();
        store.trimStream(a, 0, 12).join();
        long merged = store.prepareObjects(1, TTL_MS).join();
        // b keeps everything, a keeps only the batch holding offset 12 onwards.
        store.commitObjects(CommitRequest.compaction(List.of(set(merged, rewrite(a, 10, 20), rewrite(b, 0, 20))),
                List.of(inputs[0], inputs[1]))).join();
        assertThat(store.objectsOf(a, 12, 20, 10).join()).extracting(ObjectMetadata::objectId).containsExactly(merged);
    }

    @Test
    void aCompactionWhoseInputsWereAlreadyCompactedIsRefused() {
        long[] inputs = twoUploads();
        long first = store.prepareObjects(2, TTL_MS).join();
        store.commitObjects(CommitRequest.compaction(List.of(set(first, rewrite(a, 0, 20), rewrite(b, 0, 20))),
                List.of(inputs[0], inputs[1]))).join();
        assertFails(store.commitObjects(CommitRequest.compaction(List.of(set(first + 1, rewrite(a, 0, 10), rewrite(b, 0, 10))),
                List.of(inputs[0]))), StreamErrorCode.OFFSET_MISMATCH);
    }

    @Test
    void uploadsAndCompactionsOfTheSameStreamDoNotConflict() {
        long[] inputs = twoUploads();
        long ids = store.prepareObjects(2, TTL_MS).join();
        store.commitObjects(CommitRequest.upload(List.of(set(ids, new CommitRange(a, 0, 20, 30))))).join();
        store.commitObjects(CommitRequest.compaction(List.of(set(ids + 1, rewrite(a, 0, 20), rewrite(b, 0, 20))),
                List.of(inputs[0], inputs[1]))).join();
        assertThat(store.objectsOf(a, 0, 30, 10).join()).extracting(ObjectMetadata::objectId).containsExactly(ids + 1, ids);
    }

    @Test
    void markingObjectsWithNoLiveDataSucceedsOnlyWhenTheyHoldNone() {
        long[] inputs = twoUploads();
        assertFails(store.commitObjects(CommitRequest.compaction(List.of(), List.of(inputs[0]))), StreamErrorCode.OFFSET_MISMATCH);
        store.trimStream(a, 0, 10).join();
        store.deleteStream(b, 0).join();
        assertThat(store.unreferencedObjects()).containsExactly(inputs[0]);
        store.commitObjects(CommitRequest.compaction(List.of(), List.of(inputs[0]))).join();
        assertThat(store.listObjects().join()).extracting(ObjectMetadata::objectId).containsExactly(inputs[1]);
    }

    @Test
    void anExpiredPrepareCannotBeCommittedAndItsIdBecomesAnOrphan() {
        long id = store.prepareObjects(1, TTL_MS).join();
        assertThat(store.markOrphans(List.of(id)).join()).isEmpty();
        clock.advance(TTL_MS + 1);
        assertFails(store.commitObjects(CommitRequest.upload(List.of(set(id, new CommitRange(a, 0, 0, 5))))),
                StreamErrorCode.UNEXPECTED);
        assertThat(store.markOrphans(List.of(id, id + 100)).join()).containsExactly(id);
        assertThat(store.markedObjects().join()).containsExactly(new MarkedObject(id, clock.millis()));
    }

    @Test
    void committedObjectsAreNeverOrphansNorForgotten() {
        long[] inputs = twoUploads();
        clock.advance(TTL_MS * 10);
        assertThat(store.markOrphans(List.of(inputs[0], inputs[1])).join()).isEmpty();
        store.forgetObjects(List.of(inputs[0])).join();
        assertThat(store.listObjects().join()).hasSize(2);
    }

    @Test
    void forgottenObjectsLeaveTheMarkedList() {
        long[] inputs = twoUploads();
        long merged = store.prepareObjects(1, TTL_MS).join();
        store.commitObjects(CommitRequest.compaction(List.of(set(merged, rewrite(a, 0, 20), rewrite(b, 0, 20))),
                List.of(inputs[0], inputs[1]))).join();
        store.forgetObjects(List.of(inputs[0])).join();
        assertThat(store.markedObjects().join()).extracting(MarkedObject::objectId).containsExactly(inputs[1]);
    }

    @Test
    void aRetriedUploadOfTheSameObjectsSucceedsWithoutChangingAnything() {
        long first = store.prepareObjects(2, TTL_MS).join();
        CommitRequest request = CommitRequest.upload(List.of(set(first, new CommitRange(a, 0, 0, 5)),
                streamObject(first + 1, new CommitRange(b, 0, 0, 500))));
        store.commitObjects(request).join();
        store.commitObjects(request).join();
        assertThat(store.listObjects().join()).hasSize(2);
        assertThat(store.describeStream(b).join().endOffset()).isEqualTo(500);
    }
}
