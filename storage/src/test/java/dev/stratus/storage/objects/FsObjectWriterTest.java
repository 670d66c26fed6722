package dev.stratus.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
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

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** Writes {@code data} in writes of {@code piecesPerWrite} pieces of {@code pieceBytes}, each write waited for. */
    private static void writeInPieces(ObjectWriter writer, byte[] data, int pieceBytes, int piecesPerWrite) {
        List<ByteBuffer> pieces = new ArrayList<>();
        for (int from = 0; from < data.length; from += pieceBytes) {
            pieces.add(ByteBuffer.wrap(data, from, Math.min(pieceBytes, data.length - from)));
            if (pieces.size() == piecesPerWrite) {
                writer.write(pieces).join();
                pieces = new ArrayList<>();
            }
        }
        if (!pieces.isEmpty()) {
            writer.write(pieces).join();
        }
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
        byte[] data = randomBytes(300_000, 1);
        ObjectWriter writer = storage.writer(KEY);
        writeInPieces(writer, data, 7_000, 5);
        writer.complete().join();

        assertThat(writer.bytesWritten()).isEqualTo(data.length);
        assertThat(storage.size(KEY).join()).isEqualTo(data.length);
        assertThat(bytesOf(storage.rangeRead(KEY, 0, data.length).join())).isEqualTo(data);
        // Across the boundary of two pieces and of two writes.
        assertThat(bytesOf(storage.rangeRead(KEY, 34_990, 35_010).join())).isEqualTo(Arrays.copyOfRange(data, 34_990, 35_010));
        assertThat(storage.list("objects/").join()).containsExactly(KEY);
        assertThat(temporaryFiles()).isEmpty();
    }

    @Test
    void aStreamedObjectIsCountedAsOnePutOfAllItsBytes() {
        ObjectWriter writer = storage.writer(KEY);
        writeInPieces(writer, randomBytes(50_000, 2), 1_000, 10);
        writer.complete().join();

        assertThat(storage.stats().calls(ObjectStorageStats.CallType.PUT)).isEqualTo(1);
        assertThat(storage.stats().bytes(ObjectStorageStats.CallType.PUT)).isEqualTo(50_000);
    }

    @Test
    void nothingIsVisibleBeforeComplete() throws Exception {
        ObjectWriter writer = storage.writer(KEY);
        writeInPieces(writer, randomBytes(20_000, 3), 4_000, 2);

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
        writeInPieces(writer, randomBytes(20_000, 4), 4_000, 2);
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

        Throwable error = failureOf(writer.write(List.of(ByteBuffer.wrap(randomBytes(1_000, 5)))));

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
        writeInPieces(writer, randomBytes(10_000, 6), 2_500, 2);
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
        storage.put(KEY, ByteBuffer.wrap(randomBytes(5_000, 7))).join();
        byte[] data = randomBytes(8_000, 8);
        ObjectWriter writer = storage.writer(KEY);
        writeInPieces(writer, data, 3_000, 1);
        writer.complete().join();

        assertThat(bytesOf(storage.rangeRead(KEY, 0, Long.MAX_VALUE).join())).isEqualTo(data);
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
        writeInPieces(writer, randomBytes(100_000, 9), 5_000, 4);
        writer.complete().join();

        // Writes of four 5,000-byte pieces, each waited for: never more than one write's pieces at once.
        assertThat(writer.maxBufferedBytes()).isEqualTo(20_000);
    }
}
