package dev.stratus.server;

import dev.stratus.server.config.ConfigException;
import dev.stratus.server.config.ServerConfig;
import dev.stratus.storage.engine.StorageConfig;
import dev.stratus.storage.objects.FsObjectStorage;
import dev.stratus.storage.objects.MemoryObjectStorage;
import dev.stratus.storage.objects.ObjectStorage;
import dev.stratus.storage.objects.s3.S3ObjectStorage;
import dev.stratus.storage.wal.WalType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Specs of the startup check of storage's memory bounds against the heap. */
class HeapBudgetTest {

    private static final long MIB = 1024 * 1024;
    private static final long DEFAULT_HEAP = 1024 * MIB;

    @TempDir
    Path dir;

    private ObjectStorage store;

    @BeforeEach
    void openStore() {
        store = new FsObjectStorage(dir.resolve("objects"));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private ServerConfig config(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>(overrides);
        properties.put("log.dirs", dir.toString());
        return ServerConfig.parse(properties);
    }

    /** The server's defaults: bin/stratus-server.sh runs them in a 1 GiB heap. */
    private StorageConfig serverDefaults() {
        return StratusServer.storageConfig(config(Map.of()));
    }

    private HeapBudget budget(StorageConfig storage, WalType walType) {
        return HeapBudget.of(storage, walType, storage.walConfig(), StratusServer.objectWalConfig(config(Map.of()), 1), store);
    }

    @Test
    void theDefaultsWithAFileWalFitTheDefaultHeap() {
        assertThatCode(() -> budget(serverDefaults(), WalType.FILE).check(DEFAULT_HEAP)).doesNotThrowAnyException();
    }

    @Test
    void theDefaultsWithAnObjectWalFitTheDefaultHeap() {
        assertThatCode(() -> budget(serverDefaults(), WalType.OBJECT).check(DEFAULT_HEAP)).doesNotThrowAnyException();
    }

    @Test
    void theDefaultsWithS3AndAnObjectWalFitTheDefaultHeap() {
        store.close();
        store = S3ObjectStorage.open(config(Map.of("object.storage.type", "s3", "s3.bucket", "b",
                "s3.endpoint", "http://127.0.0.1:1", "s3.region", "us-east-1")).s3Config());
        HeapBudget budget = budget(serverDefaults(), WalType.OBJECT);

        assertThatCode(() -> budget.check(DEFAULT_HEAP)).doesNotThrowAnyException();
        HeapBudget.Term upload = budget.terms().stream().filter(t -> t.what().startsWith("upload round")).findFirst().orElseThrow();
        assertThat(upload.bytes()).isEqualTo(serverDefaults().maxObjectBytes() + 1536 * 1024 + 3 * 16 * MIB);
    }

    @Test
    void everyBoundTheEngineKeepsIsCounted() {
        HeapBudget budget = budget(serverDefaults(), WalType.FILE);

        assertThat(budget.terms()).extracting(HeapBudget.Term::what).anySatisfy(w -> assertThat(w).contains("log.cache.bytes"))
                .anySatisfy(w -> assertThat(w).contains("block.cache.bytes"))
                .anySatisfy(w -> assertThat(w).contains("read.ahead.max.bytes"))
                .anySatisfy(w -> assertThat(w).contains("wal.upload.threshold.bytes"))
                .anySatisfy(w -> assertThat(w).contains("compaction.max.object.bytes"))
                .anySatisfy(w -> assertThat(w).contains("file WAL"));
        assertThat(budget.terms()).allSatisfy(term -> assertThat(term.bytes()).isPositive());
    }

    @Test
    void aLogCacheTooLargeForTheHeapStopsStartupNamingTheSettingAndAHeapThatFits() {
        HeapBudget budget = budget(StratusServer.storageConfig(config(Map.of("log.cache.bytes", String.valueOf(900 * MIB)))),
                WalType.FILE);

        assertThatThrownBy(() -> budget.check(DEFAULT_HEAP))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("(log.cache.bytes) 900 MiB")
                .hasMessageContaining("1024 MiB heap")
                .hasMessageContaining("-Xmx" + budget.suggestedHeapMiB() + "m");
        assertThatCode(() -> budget.check(budget.suggestedHeapMiB() * MIB)).doesNotThrowAnyException();
    }

    @Test
    void aStoreWhoseWriterKeepsWholeObjectsCountsThemTwiceInTheUploadRound() {
        store.close();
        store = new MemoryObjectStorage();
        HeapBudget budget = budget(serverDefaults(), WalType.FILE);
        long threshold = serverDefaults().maxObjectBytes();

        HeapBudget.Term upload = budget.terms().stream().filter(t -> t.what().startsWith("upload round")).findFirst().orElseThrow();
        assertThat(upload.bytes()).isGreaterThanOrEqualTo(2 * threshold);
    }
}
