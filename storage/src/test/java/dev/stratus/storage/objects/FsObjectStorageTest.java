package dev.stratus.storage.objects;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FsObjectStorageTest {

    @TempDir
    Path dir;

    @Test
    void putThenRangedReadListAndDeleteAreCountedAndLeaveNoTemporaryFiles() throws Exception {
        try (FsObjectStorage storage = new FsObjectStorage(dir)) {
            String key = ObjectKeys.objectKey(0x1234);
            storage.put(key, ByteBuffer.wrap("hello object storage".getBytes(StandardCharsets.UTF_8))).get();
            storage.put(ObjectKeys.objectKey(7), ByteBuffer.wrap(new byte[3])).get();

            ByteBuffer range = storage.rangeRead(key, 6, 12).get();
            assertThat(StandardCharsets.UTF_8.decode(range).toString()).isEqualTo("object");
            assertThat(storage.rangeRead(key, 15, 1_000).get().remaining()).isEqualTo(5);
            assertThat(storage.size(key).get()).isEqualTo(20);
            assertThat(storage.list("objects/").get()).containsExactly(ObjectKeys.objectKey(7), key);
            assertThat(storage.list(ObjectKeys.objectKey(7)).get()).containsExactly(ObjectKeys.objectKey(7));

            storage.delete(List.of(key)).get();
            assertThatThrownBy(() -> storage.size(key).get()).isInstanceOf(ExecutionException.class);
            assertThat(storage.stats().calls(ObjectStorageStats.CallType.PUT)).isEqualTo(2);
            assertThat(storage.stats().bytes(ObjectStorageStats.CallType.PUT)).isEqualTo(23);
            assertThat(storage.stats().calls(ObjectStorageStats.CallType.GET)).isEqualTo(2);
            try (Stream<Path> files = Files.walk(dir)) {
                assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
            }
        }
    }

    @Test
    void objectKeysRoundTripThroughTheirIds() {
        assertThat(ObjectKeys.objectKey(0x1234)).isEqualTo("objects/34/0000000000001234");
        assertThat(ObjectKeys.objectId(ObjectKeys.objectKey(987654321L))).isEqualTo(987654321L);
        assertThat(ObjectKeys.objectId("objects/zz/whatever")).isEqualTo(-1);
    }
}
