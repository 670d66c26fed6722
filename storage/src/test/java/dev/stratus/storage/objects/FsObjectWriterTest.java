package dev.stratus.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.storage.testing.TestBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FsObjectStorage#writer}: an object written piece by piece to a temporary file, renamed into place at completion. */
class FsObjectWriterTest {

    private static final String KEY = "objects/07/0000000000000007";

    @TempDir
    Path dir;

    private FsObjectStorage storage;

    @BeforeEach
    void setUp() {
        storage = new FsObjectStorage(dir);
    }

    @AfterEach
    void tearDown() {
        storage.close();
    }



    private List<Path> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(path -> path.toString().endsWith(".tmp")).toList();
        }
    }

    private static Throwable failureOf(java.util.concurrent.CompletableFuture<?> future) {
        try {
            future.join();
            return null;
        } catch (CompletionException e) {
            return ObjectStorageException.unwrap(e);
        }
    }

    @Test
    void aStreamedObjectReadsBackWholeAndByRangeAfterComplete() throws Exception {
        byte[] data = TestBytes.random(300_000, 1);
        ObjectWriter writer = storage.writer(KEY);
        TestBytes.writeInPieces(writer, data, 0, data.length, 7_000, 5);
        writer.complete().join();

        assertThat(writer.bytesWritten()).isEqualTo(data.length);
        assertThat(storage.size(KEY).join()).isEqualTo(data.length);
        assertThat(TestBytes.of(storage.rangeRead(KEY, 0, data.length).join())).isEqualTo(data);
        // Across the boundary of two pieces and of two writes.
        assertThat(TestBytes.of(storage.rangeRead(KEY, 34_990, 35_010).join())).isEqualTo(Arrays.copyOfRange(data, 34_990, 35_010));
        assertThat(storage.list("objects/").join()).containsExactly(KEY);
        assertThat(temporaryFiles()).isEmpty();
    }

    @Test
    void aStreamedObjectIsCountedAsOnePutOfAllItsBytes() {
        ObjectWriter writer = storage.writer(KEY);
        byte[] data = TestBytes.random(50_000, 2);
        TestBytes.writeInPieces(writer, data, 0, data.length, 1_000, 10);
        writer.complete().join();

        assertThat(storage.stats().calls(ObjectStorageStats.CallType.PUT)).isEqualTo(1);
        assertThat(storage.stats().bytes(ObjectStorageStats.CallType.PUT)).isEqualTo(50_000);
    }

    @Test
    void nothingIsVisibleBeforeComplete() throws Exception {
        ObjectWriter writer = storage.writer(KEY);
        byte[] data = TestBytes.random(20_000, 3);
        TestBytes.writeInPieces(writer, data, 0, data.length, 4_000, 2);

        // The bytes are on disk already (not held in memory), but only under a temporary name.
        assertThat(temporaryFiles()).hasSize(1);
        assertThat(Files.size(temporaryFiles().get(0))).isEqualTo(20_000);
        assertThat(storage.list("objects/").join()).isEmpty();
        assertThat(storage.list(KEY).join()).isEmpty();
        assertThat(failureOf(storage.size(KEY))).isInstanceOf(NoSuchFileException.class);
        assertThat(failureOf(storage.rangeRead(KEY, 0, 10))).isInstanceOf(NoSuchFileException.class);
        assertThat(storage.stats().calls(ObjectStorageStats.CallType.PUT)).isZero();
    }

    @Test
    void abortLeavesNoObjectAndNoTemporaryFile() throws Exception {
        ObjectWriter writer = storage.writer(KEY);
        byte[] data = TestBytes.random(20_000, 4);
        TestBytes.writeInPieces(writer, data, 0, data.length, 4_000, 2);
        writer.abort().join();

        assertThat(storage.list("").join()).isEmpty();
        assertThat(temporaryFiles()).isEmpty();
        assertThat(failureOf(writer.complete())).isInstanceOf(IllegalStateException.class);
        assertThat(storage.stats().calls(ObjectStorageStats.CallType.PUT)).isZero();
    }

    @Test
    void aWriteThatCannotCreateItsFileFailsAndLeavesNothing() throws Exception {
        // A regular file where the object's directory should be: creating the directory fails, even for root.
        Files.createDirectories(dir.resolve("objects"));
        Files.write(dir.resolve("objects/07"), new byte[] {1});
        ObjectWriter writer = storage.writer(KEY);

        Throwable error = failureOf(writer.write(List.of(ByteBuffer.wrap(TestBytes.random(1_000, 5)))));

        assertThat(error).isInstanceOf(IOException.class);
        assertThat(ObjectStorageException.kindOf(error)).isEqualTo(ObjectStorageErrorKind.RETRIABLE);
        assertThat(storage.list("objects/07/").join()).isEmpty();
        assertThat(temporaryFiles()).isEmpty();
        assertThat(failureOf(writer.write(List.of(ByteBuffer.wrap(new byte[1]))))).isInstanceOf(IllegalStateException.class);
        // Counted like a failed put: one PUT, no bytes.
        assertThat(storage.stats().calls(ObjectStorageStats.CallType.PUT)).isEqualTo(1);
        assertThat(storage.stats().bytes(ObjectStorageStats.CallType.PUT)).isZero();
    }

    @Test
    void anObjectWhoseDirectoryVanishedBeforeCompleteFailsAndLeavesNothing() throws Exception {
        ObjectWriter writer = storage.writer(KEY);
        byte[] data = TestBytes.random(10_000, 6);
        TestBytes.writeInPieces(writer, data, 0, data.length, 2_500, 2);
        try (Stream<Path> files = Files.walk(dir.resolve("objects"))) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }

        Throwable error = failureOf(writer.complete());

        assertThat(error).isInstanceOf(IOException.class);
        assertThat(storage.list("").join()).isEmpty();
        assertThat(temporaryFiles()).isEmpty();
    }

    @Test
    void aStreamedObjectReplacesAnExistingOne() {
        storage.put(KEY, ByteBuffer.wrap(TestBytes.random(5_000, 7))).join();
        byte[] data = TestBytes.random(8_000, 8);
        ObjectWriter writer = storage.writer(KEY);
        TestBytes.writeInPieces(writer, data, 0, data.length, 3_000, 1);
        writer.complete().join();

        assertThat(TestBytes.of(storage.rangeRead(KEY, 0, Long.MAX_VALUE).join())).isEqualTo(data);
    }

    @Test
    void aWriterWithoutPiecesCreatesAnEmptyObject() {
        ObjectWriter writer = storage.writer(KEY);
        writer.complete().join();

        assertThat(storage.size(KEY).join()).isZero();
    }

    @Test
    void theWriterHoldsOnlyTheBytesOfTheWriteNotYetInTheFile() {
        ObjectWriter writer = storage.writer(KEY);
        byte[] data = TestBytes.random(100_000, 9);
        TestBytes.writeInPieces(writer, data, 0, data.length, 5_000, 4);
        writer.complete().join();

        // Writes of four 5,000-byte pieces, each waited for: never more than one write's pieces at once.
        assertThat(writer.maxBufferedBytes()).isEqualTo(20_000);
    }
}
