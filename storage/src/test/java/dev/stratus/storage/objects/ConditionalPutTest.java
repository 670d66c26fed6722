package dev.stratus.storage.objects;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ObjectStorage#putIfAbsent}: exactly one creator wins, and the object it wrote stays. */
class ConditionalPutTest {

    @TempDir
    Path dir;

    private ObjectStorage storage;

    @AfterEach
    void tearDown() {
        storage.close();
    }

    private ObjectStorage storage(String type) {
        storage = type.equals("fs") ? new FsObjectStorage(dir.resolve("objects"), 8, 1024) : new MemoryObjectStorage();
        return storage;
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "fs"})
    void onlyTheFirstCreatorWinsAndItsObjectIsKept(String type) {
        ObjectStorage store = storage(type);
        assertThat(store.putIfAbsent("wal/1/a", bytes("first")).join()).isTrue();
        assertThat(store.putIfAbsent("wal/1/a", bytes("second")).join()).isFalse();
        ByteBuffer read = store.rangeRead("wal/1/a", 0, Long.MAX_VALUE).join();
        assertThat(StandardCharsets.UTF_8.decode(read).toString()).isEqualTo("first");
        assertThat(store.list("wal/1/").join()).containsExactly("wal/1/a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "fs"})
    void concurrentCreatorsOfOneKeyHaveExactlyOneWinner(String type) throws Exception {
        ObjectStorage store = storage(type);
        for (int round = 0; round < 20; round++) {
            String key = "wal/2/" + round;
            List<CompletableFuture<Boolean>> attempts = new ArrayList<>();
            for (int writer = 0; writer < 8; writer++) {
                attempts.add(store.putIfAbsent(key, bytes("writer-" + writer)));
            }
            long winners = attempts.stream().map(CompletableFuture::join).filter(created -> created).count();
            assertThat(winners).isEqualTo(1);
            String content = StandardCharsets.UTF_8.decode(store.rangeRead(key, 0, 100).join()).toString();
            assertThat(content).startsWith("writer-");
        }
        if (type.equals("fs")) {
            try (Stream<Path> files = Files.walk(dir)) {
                assertThat(files.filter(path -> path.toString().endsWith(".tmp")).toList()).isEmpty();
            }
        }
    }
}
