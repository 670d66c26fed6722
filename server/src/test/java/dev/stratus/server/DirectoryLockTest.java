package dev.stratus.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stratus.server.DirectoryLock.DirectoryLockedException;
import dev.stratus.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory, WAL or local object store belongs to one running server (the cross-process case is in it). */
class DirectoryLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondServerOnTheSameDataDirectoryRefusesToStartAndLeavesTheFirstIntact() throws Exception {
        StratusServer first = server(Map.of("log.dirs", dir.resolve("node").toString()));
        first.start();
        try {
            long journalBytes = Files.size(dir.resolve("node/metadata/metadata.log"));
            StratusServer second = server(Map.of("log.dirs", dir.resolve("node").toString()));

            assertThatThrownBy(second::start).isInstanceOf(DirectoryLockedException.class)
                    .hasMessageContaining(dir.resolve("node").toString()).hasMessageContaining("log.dirs");
            assertThat(Files.size(dir.resolve("node/metadata/metadata.log"))).isEqualTo(journalBytes);
            assertThat(first.boundPort()).isPositive();
        } finally {
            first.shutdown();
        }
    }

    @Test
    void theLockIsReleasedAtShutdownSoTheNodeCanStartAgain() throws Exception {
        StratusServer first = server(Map.of("log.dirs", dir.resolve("node").toString()));
        first.start();
        first.shutdown();

        StratusServer again = server(Map.of("log.dirs", dir.resolve("node").toString()));
        again.start();
        again.shutdown();
        assertThat(again.failed()).isFalse();
    }

    @Test
    void aWalFileOutsideTheDataDirectoryIsLockedToo() throws Exception {
        String wal = dir.resolve("shared-wal/wal.data").toString();
        StratusServer first = server(Map.of("log.dirs", dir.resolve("a").toString(), "wal.path", wal));
        first.start();
        try {
            StratusServer second = server(Map.of("log.dirs", dir.resolve("b").toString(), "wal.path", wal));

            assertThatThrownBy(second::start).isInstanceOf(DirectoryLockedException.class).hasMessageContaining("wal.path");
        } finally {
            first.shutdown();
        }
    }

    @Test
    void anFsObjectStoreOutsideTheDataDirectoryIsLockedToo() throws Exception {
        String objects = dir.resolve("shared-objects").toString();
        StratusServer first = server(Map.of("log.dirs", dir.resolve("a").toString(), "object.storage.fs.path", objects));
        first.start();
        try {
            StratusServer second = server(Map.of("log.dirs", dir.resolve("b").toString(), "object.storage.fs.path", objects));

            assertThatThrownBy(second::start).isInstanceOf(DirectoryLockedException.class)
                    .hasMessageContaining("object.storage.fs.path");
        } finally {
            first.shutdown();
        }
    }

    private static StratusServer server(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>(Map.of("listeners", "PLAINTEXT://127.0.0.1:0",
                "wal.capacity.bytes", String.valueOf(64L << 20)));
        properties.putAll(overrides);
        return new StratusServer(ServerConfig.parse(properties));
    }
}
