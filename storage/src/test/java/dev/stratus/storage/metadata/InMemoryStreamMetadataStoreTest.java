package dev.stratus.storage.metadata;

import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryStreamMetadataStoreTest {

    private final InMemoryStreamMetadataStore store = new InMemoryStreamMetadataStore(Clock.systemUTC());

    private static void assertFails(CompletableFuture<?> future, StreamErrorCode code) {
        assertThatThrownBy(future::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(StreamException.class).extracting(e -> ((StreamException) e).code()).isEqualTo(code);
    }

    @Test
    void openingWithAHigherEpochFencesTheEarlierOpenersCommitsAndOpens() {
        long stream = store.createStream().join();
        store.openStream(stream, 1).join();
        store.openStream(stream, 2).join();
        long objectId = store.prepareObjects(1, 60_000).join();
        assertFails(store.commitObject(objectId, 10, List.of(new CommitRange(stream, 1, 0, 5))), StreamErrorCode.FENCED);
        assertFails(store.openStream(stream, 1), StreamErrorCode.FENCED);
        store.commitObject(objectId, 10, List.of(new CommitRange(stream, 2, 0, 5))).join();
        assertThat(store.describeStream(stream).join().endOffset()).isEqualTo(5);
    }

    @Test
    void commitsMustContinueEachStreamExactlyAndApplyAllOrNothing() {
        long a = store.createStream().join();
        long b = store.createStream().join();
        store.openStream(a, 0).join();
        store.openStream(b, 0).join();
        long first = store.prepareObjects(2, 60_000).join();
        assertFails(store.commitObject(first, 10, List.of(new CommitRange(a, 0, 0, 5), new CommitRange(b, 0, 3, 5))),
                StreamErrorCode.OFFSET_MISMATCH);
        assertThat(store.describeStream(a).join().endOffset()).isZero();
        store.commitObject(first, 10, List.of(new CommitRange(a, 0, 0, 5), new CommitRange(b, 0, 0, 2))).join();
        // A retry of the same commit succeeds and changes nothing.
        store.commitObject(first, 10, List.of(new CommitRange(a, 0, 0, 5), new CommitRange(b, 0, 0, 2))).join();
        store.commitObject(first + 1, 10, List.of(new CommitRange(a, 0, 5, 9))).join();
        assertThat(store.describeStream(a).join().endOffset()).isEqualTo(9);
        assertThat(store.objectsOf(a, 6, 100, 10).join()).extracting(ObjectMetadata::objectId).containsExactly(first + 1);
        assertThat(store.objectsOf(a, 0, 100, 10).join()).extracting(ObjectMetadata::objectId).containsExactly(first, first + 1);
    }

    @Test
    void preparedObjectIdsAreConsecutiveAndNeverReused() {
        long first = store.prepareObjects(3, 1_000).join();
        assertThat(store.prepareObjects(1, 1_000).join()).isEqualTo(first + 3);
        assertFails(store.commitObject(first + 10, 1, List.of()), StreamErrorCode.UNEXPECTED);
    }

    @Test
    void trimMovesTheStartForwardAndHidesObjectsBelowIt() {
        long stream = store.createStream().join();
        store.openStream(stream, 0).join();
        long id = store.prepareObjects(2, 1_000).join();
        store.commitObject(id, 1, List.of(new CommitRange(stream, 0, 0, 5))).join();
        store.commitObject(id + 1, 1, List.of(new CommitRange(stream, 0, 5, 10))).join();
        store.trimStream(stream, 0, 6).join();
        store.trimStream(stream, 0, 2).join();
        assertThat(store.describeStream(stream).join().startOffset()).isEqualTo(6);
        assertThat(store.objectsOf(stream, 0, 10, 10).join()).extracting(ObjectMetadata::objectId).containsExactly(id + 1);
    }

    @Test
    void deleteRemovesTheStreamAndReleasesObjectsNoStreamReferences() {
        long stream = store.createStream().join();
        store.openStream(stream, 0).join();
        long id = store.prepareObjects(1, 1_000).join();
        store.commitObject(id, 1, List.of(new CommitRange(stream, 0, 0, 5))).join();
        store.deleteStream(stream, 0).join();
        assertFails(store.describeStream(stream), StreamErrorCode.STREAM_NOT_FOUND);
        assertThat(store.unreferencedObjects()).containsExactly(id);
        assertThat(store.allStreams().join()).isEmpty();
    }
}
