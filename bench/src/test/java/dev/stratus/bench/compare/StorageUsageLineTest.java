package dev.stratus.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.server.StorageUsage;
import dev.stratus.storage.objects.ObjectStorageStats.CallType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness reads the very line the server writes at shutdown. */
class StorageUsageLineTest {

    @TempDir
    Path dir;

    @Test
    void readsTheLineTheServerLogsAtShutdown() throws Exception {
        Map<CallType, StorageUsage.Calls> calls = new EnumMap<>(CallType.class);
        for (CallType type : CallType.values()) {
            calls.put(type, new StorageUsage.Calls(0, 0));
        }
        calls.put(CallType.PUT, new StorageUsage.Calls(12, 3_000_000));
        calls.put(CallType.GET, new StorageUsage.Calls(40, 900_000));
        String logged = "2026-12-01T02:39:06.305Z INFO  [stratus-shutdown] StratusServer - "
                + new StorageUsage("object", 2_500_000, 9, 3, 600_000, calls).logLine();
        Path log = Files.write(dir.resolve("server.log"), List.of("earlier line", logged, "2026-12-01 Stratus stopped"));

        StorageUsageLine line = StorageUsageLine.findIn(log).orElseThrow();

        assertThat(line.walType()).isEqualTo("object");
        assertThat(line.walBytes()).isEqualTo(2_500_000);
        assertThat(line.walWrites()).isEqualTo(9);
        assertThat(line.walReads()).isEqualTo(3);
        assertThat(line.walReadBytes()).isEqualTo(600_000);
        assertThat(line.calls("put")).isEqualTo(12);
        assertThat(line.bytes("put")).isEqualTo(3_000_000);
        assertThat(line.calls("get")).isEqualTo(40);
        assertThat(line.calls("delete")).isZero();
    }

    @Test
    void aLogWithoutTheLineHasNone() throws Exception {
        Path log = Files.write(dir.resolve("server.log"), List.of("Startup failed"));

        assertThat(StorageUsageLine.findIn(log)).isEmpty();
    }
}
